import fc from 'fast-check';
import { JsonWriter } from './json-writer';

const written = (write: (w: JsonWriter) => void): string => {
  const w = new JsonWriter();
  write(w);
  return Buffer.from(w.finish()).toString('latin1');
};

/** What Buffer#write makes of JSON.stringify, as bytes, for comparison. */
const expected = (value: unknown): string =>
  Buffer.from(JSON.stringify(value) ?? 'null').toString('latin1');

const text = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  fc.string({ unit: 'binary' }),
  fc.constantFrom('', '"', '\\', '\u0000\u001f\u007f', '\ud800', 'a\udc00b'),
);

describe('JsonWriter', () => {
  it('writes any string as Buffer.from(JSON.stringify(s)) does', () => {
    fc.assert(
      fc.property(text, (s) => {
        expect(written((w) => w.string(s))).toBe(expected(s));
      }),
      { numRuns: 2000 },
    );
  });

  it('writes any ASCII text given as bytes as JSON.stringify writes the text', () => {
    const ascii = fc.string({ unit: 'binary-ascii' });
    const key = Buffer.from('{"k":');
    fc.assert(
      fc.property(ascii, (s) => {
        const plain = Buffer.from(`..${s}..`);
        expect(
          written((w) => w.asciiBytes(plain, 2, plain.length - 2, false, key)),
        ).toBe(`{"k":${expected(s)}`);
        const doubled = Buffer.from(s.replaceAll('"', '""'));
        expect(
          written((w) => w.asciiBytes(doubled, 0, doubled.length, true, key)),
        ).toBe(`{"k":${expected(s)}`);
      }),
      { numRuns: 2000 },
    );
  });

  it('writes any JSON value, and the values JSON.stringify drops or nulls, the same way', () => {
    const value = fc.oneof(
      fc.jsonValue(),
      fc.dictionary(text, fc.jsonValue()),
      fc.constantFrom(
        { a: undefined, b: () => 1, c: Symbol('s'), d: 1 },
        { toJSON: () => 'x' },
        new Date(0),
        [undefined, NaN, -0, Infinity],
        { n: [1e21, 1e-7, -0, 2 ** 53 + 2, -(2 ** 60)] },
        {},
        [],
      ),
    );
    fc.assert(
      fc.property(value, (v) => {
        expect(written((w) => w.value(v))).toBe(expected(v));
      }),
      { numRuns: 1000 },
    );
  });

  it('keeps a __proto__ key as data', () => {
    const parameters = JSON.parse('{"__proto__": {"x": 1}, "a": -0}');
    expect(written((w) => w.value(parameters))).toBe(
      '{"__proto__":{"x":1},"a":0}',
    );
  });

  it('writes a key or separator before a value, and goes back to a length', () => {
    const w = new JsonWriter();
    w.string('a', Buffer.from('{"k":'));
    w.raw(Buffer.from(',"n":null'));
    w.raw(Buffer.from('}'));
    const length = w.length;
    w.string('x'.repeat(100_000));
    w.truncate(length);
    expect(Buffer.from(w.finish()).toString()).toBe('{"k":"a","n":null}');
  });
});
