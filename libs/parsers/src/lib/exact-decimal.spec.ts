import { NUMERIC_PATTERN } from '@event-pipeline/schema';
import { canonicalDecimal } from './exact-decimal';

describe('canonicalDecimal', () => {
  it.each([
    ['2.09', '2.09'],
    ['2.090', '2.09'],
    ['02.09', '2.09'],
    ['+2.09', '2.09'],
    [' 2.09 ', '2.09'],
    ['41.990000000000', '41.99'],
    ['10', '10'],
    ['10.', '10'],
    ['10.000', '10'],
    ['.5', '0.5'],
    ['0', '0'],
    ['000', '0'],
    ['-0.00', '0'],
    ['-0', '0'],
    ['-3.10', '-3.1'],
    ['0.000000001', '0.000000001'],
    ['12345678901234567890123456789', '12345678901234567890123456789'],
    [
      '12345678901234567890123456789.123456789',
      '12345678901234567890123456789.123456789',
    ],
    ['0.1234567890', '0.123456789'],
  ])('keeps %j exactly as %j', (text, canonical) => {
    expect(canonicalDecimal(text)).toBe(canonical);
    expect(canonical).toMatch(NUMERIC_PATTERN);
  });

  it('never goes through a float', () => {
    expect(canonicalDecimal('0.30000000000000004')).toBeNull();
    expect(canonicalDecimal('9007199254740993.5')).toBe('9007199254740993.5');
  });

  it.each([
    '',
    '.',
    '-',
    'abc',
    '1,99',
    '1 000',
    '1e3',
    '0x10',
    'NaN',
    'Infinity',
    '$4.99',
    '4.99 USD',
    '1.2.3',
    '--1',
    '123456789012345678901234567890',
    '0.1234567891',
  ])('rejects %j', (text) => {
    expect(canonicalDecimal(text)).toBeNull();
  });
});
