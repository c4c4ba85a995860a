import { parseJsonExact } from './exact-json';

describe('parseJsonExact', () => {
  it('keeps integer literals beyond 2^53 as exact digit strings', () => {
    expect(
      parseJsonExact(
        '{"a": 12345678901234567890, "b": -9007199254740993, "c": [9007199254740992]}',
      ),
    ).toEqual({
      a: '12345678901234567890',
      b: '-9007199254740993',
      c: ['9007199254740992'],
    });
  });

  it('leaves safe integers, floats and strings alone', () => {
    expect(
      parseJsonExact(
        '{"safe": 9007199254740991, "f": 1.12345678901234567890, "e": 1e300, "s": "12345678901234567890", "q": "a\\"12345678901234567890"}',
      ),
    ).toEqual({
      safe: 9007199254740991,
      f: Number('1.12345678901234567890'),
      e: 1e300,
      s: '12345678901234567890',
      q: 'a"12345678901234567890',
    });
  });

  it('still rejects what is not JSON', () => {
    expect(() => parseJsonExact('{"a": 12345678901234567890')).toThrow(
      SyntaxError,
    );
  });
});
