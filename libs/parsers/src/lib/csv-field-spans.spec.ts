import fc from 'fast-check';
import { parseCsvRecord } from './adapty-row-batch';
import { csvFieldSpans } from './csv-field-spans';

const asciiText = fc.string({ unit: 'binary-ascii' });

/** A field as a CSV writer puts it: quoted when it must be, or when told to. */
const csvField = (value: string, quote: boolean): string =>
  quote || /[",\r\n]/.test(value) || value.startsWith(' ')
    ? `"${value.replaceAll('"', '""')}"`
    : value;

/** The fields papaparse reads from a row, and the bytes each spans. */
const spansOf = (row: string) => {
  const fields = parseCsvRecord(row);
  if (typeof fields === 'string') throw new Error(fields);
  const bytes = Buffer.from(row);
  const spans = csvFieldSpans(fields, bytes, 0, bytes.length);
  return spans === null
    ? null
    : fields.map((_, i) =>
        bytes.toString('latin1', spans[2 * i], spans[2 * i + 1]),
      );
};

describe('csvFieldSpans', () => {
  it('finds plain and quoted fields, with doubled quotes, commas and line breaks', () => {
    expect(spansOf('a,"b,""c""",,"d\r\ne",f')).toEqual([
      'a',
      '"b,""c"""',
      '',
      '"d\r\ne"',
      'f',
    ]);
  });

  it('takes a quote inside a plain field as data', () => {
    expect(spansOf('ab"c,d')).toEqual(['ab"c', 'd']);
  });

  it('gives up when papaparse took spaces after a closing quote', () => {
    expect(parseCsvRecord('"a"  ,b')).toEqual(['a', 'b']);
    expect(spansOf('"a"  ,b')).toBeNull();
    expect(spansOf('a,"b"  ,c')).toBeNull();
  });

  it('finds every field of any ASCII row, as it was written', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(asciiText, fc.boolean()), {
          minLength: 1,
          maxLength: 8,
        }),
        (values) => {
          const fields = values.map(([value, quote]) => csvField(value, quote));
          // A lone empty field is a blank line to papaparse, not a row.
          fc.pre(fields.join(',') !== '');
          expect(spansOf(fields.join(','))).toEqual(fields);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
