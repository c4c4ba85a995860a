import { column } from './columns';
import { compileRowCheck, NUMERIC_PATTERN } from './row-check';

const check = compileRowCheck([
  column('id', 'STRING', 'REQUIRED', ''),
  column('at', 'INT64', 'REQUIRED', ''),
  column('amount', 'NUMERIC', 'NULLABLE', ''),
  column('params', 'JSON', 'NULLABLE', ''),
]);

describe('compileRowCheck', () => {
  it('accepts a valid row, with nullable columns null', () => {
    expect(
      check({ id: 'a', at: 1, amount: '1.50', params: { k: 1 } }),
    ).toBeNull();
    expect(check({ id: 'a', at: 1, amount: null, params: null })).toBeNull();
  });

  it('names the column, what was expected and what was found', () => {
    expect(check({ id: 7, at: 1, amount: null, params: null })).toBe(
      'id: expected a string, found 7',
    );
    expect(check({ id: 'a', at: 2 ** 53, amount: null, params: null })).toMatch(
      /^at: expected a safe integer/,
    );
    expect(check({ id: 'a', at: 1, amount: '1e3', params: null })).toMatch(
      /^amount: expected a decimal string .* or null, found "1e3"$/,
    );
    expect(check({ id: 'a', at: 1, amount: null, params: [1] })).toMatch(
      /^params:/,
    );
  });

  it('rejects a missing required column and a non-object row', () => {
    expect(check({ at: 1, amount: null, params: null })).toBe(
      'id: expected a string, found nothing',
    );
    expect(check(null)).toBe('expected an object, found null');
    expect(check('row')).toBe('expected an object, found "row"');
  });

  it('treats undefined in a nullable column as missing', () => {
    expect(check({ id: 'a', at: 1, params: null })).toMatch(/^amount:/);
  });
});

describe('NUMERIC_PATTERN', () => {
  it.each(['0', '-1', '12.5', `${'9'.repeat(29)}.${'9'.repeat(9)}`])(
    'accepts %s',
    (value) => {
      expect(NUMERIC_PATTERN.test(value)).toBe(true);
    },
  );

  it.each([
    '',
    '1.',
    '.5',
    '1e3',
    '+1',
    `${'9'.repeat(30)}`,
    '1.0000000001',
    'NaN',
    ' 1',
  ])('rejects %p', (value) => {
    expect(NUMERIC_PATTERN.test(value)).toBe(false);
  });
});
