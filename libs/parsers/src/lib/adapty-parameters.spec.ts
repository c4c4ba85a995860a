import { isAscii } from 'node:buffer';
import fc from 'fast-check';
import { readAdaptyHeader } from './adapty-columns';
import { AdaptyParameters } from './adapty-parameters';
import { parseCsvRecord } from './adapty-row-batch';
import { JsonWriter } from './json-writer';

const HEADER = [
  'customer_user_id',
  'event_type',
  'event_datetime',
  'profile_id',
  'attributes',
  'Store',
  'attributes',
  '__proto__',
  'proceeds_usd',
];
const columns = readAdaptyHeader(HEADER);
if ('missing' in columns) throw new Error('the header names every column');

const value = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary-ascii' }),
  fc.constantFrom('', '  ', 'a"b', '"q"', '{"plan": "a,b"}', 'x\r\ny', 'é'),
);
/** A field as a CSV writer puts it, quoted when it must be or when told to, now and then with blanks after the quote. */
const csvField = fc
  .tuple(value, fc.constantFrom('plain', 'quoted', 'quoted, then blanks'))
  .map(([text, form]) => {
    const plain = form === 'plain' && !/^[ \t]|[",\r\n]/.test(text);
    if (plain) return text;
    const quoted = `"${text.replaceAll('"', '""')}"`;
    return form === 'quoted, then blanks' ? `${quoted}  ` : quoted;
  });

const json = (parameters: AdaptyParameters): string => {
  const w = new JsonWriter();
  w.value(parameters);
  return Buffer.from(w.finish()).toString('utf8');
};

describe('AdaptyParameters', () => {
  it('holds the unmapped columns that are not blank, but the user id column used, the first of two names', () => {
    const fields = ['u1', 'trial_started', '2024-01-01T00:00:00Z', 'p1', 'a1'];
    fields.push(' ', 'a2', 'proto', '1.5');
    const row = { bytes: null, start: 0, end: 0 };
    expect(new AdaptyParameters(fields, columns, 0, row).toJSON()).toEqual(
      JSON.parse('{"profile_id":"p1","attributes":"a1","__proto__":"proto"}'),
    );
    expect(
      Object.keys(new AdaptyParameters(fields, columns, 3, row).toJSON()),
    ).toEqual(['customer_user_id', 'attributes', '__proto__']);
  });

  it('writes the JSON of its object, from the bytes of an ASCII row or from the texts', () => {
    fc.assert(
      fc.property(
        fc.array(csvField, {
          minLength: HEADER.length,
          maxLength: HEADER.length,
        }),
        fc.constantFrom(0, 3),
        (written, userIdColumn) => {
          const text = written.join(',');
          const fields = parseCsvRecord(text);
          fc.pre(typeof fields !== 'string');
          const bytes = Buffer.from(text);
          const expected = JSON.stringify(
            new AdaptyParameters(fields, columns, userIdColumn, {
              bytes: null,
              start: 0,
              end: 0,
            }),
          );
          for (const rowBytes of [bytes, null]) {
            const row = {
              bytes: rowBytes !== null && isAscii(rowBytes) ? rowBytes : null,
              start: 0,
              end: bytes.length,
            };
            expect(
              json(new AdaptyParameters(fields, columns, userIdColumn, row)),
            ).toBe(expected);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});
