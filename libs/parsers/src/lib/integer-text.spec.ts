import fc from 'fast-check';
import { integerText } from './integer-text';

describe('integerText', () => {
  it('writes every number as String() does', () => {
    for (const value of [
      0,
      -0,
      999_999_999,
      1_000_000_000,
      -1_000_000_001,
      1_701_597_060_000_000,
      Number.MAX_SAFE_INTEGER,
      Number.MIN_SAFE_INTEGER,
      2 ** 53,
      1.5,
      NaN,
      Infinity,
    ]) {
      expect(integerText(value)).toBe(String(value));
    }
    fc.assert(
      fc.property(fc.oneof(fc.maxSafeInteger(), fc.double()), (value) => {
        expect(integerText(value)).toBe(String(value));
      }),
    );
  });
});
