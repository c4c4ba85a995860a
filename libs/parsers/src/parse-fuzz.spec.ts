import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import fc from 'fast-check';
import {
  checkUnifiedEvent,
  ERROR_RAW_MAX_BYTES,
  scopeOfErrorCode,
} from '@event-pipeline/schema';
import { JsonSplitter } from './lib/json-splitter';
import {
  ga4Event,
  ndjson,
  parseBytes,
  ParsedFile,
  prettyArray,
  zipOf,
} from './testing/parse-fixtures';

const SAMPLES = resolve(__dirname, '../../../samples');
const sample = (name: string) => readFileSync(resolve(SAMPLES, name));

/** What must hold for any input at all: no crash, every failure a record, rows balanced. */
const expectSound = (file: ParsedFile) => {
  for (const chunk of file.chunks) {
    const rowErrors = chunk.errors.filter((e) => e.scope === 'row').length;
    expect(chunk.rowsRead).toBe(chunk.events.length + rowErrors);
    for (const event of chunk.events)
      expect(checkUnifiedEvent(event)).toBeNull();
  }
  for (const error of file.errors) {
    expect(error.scope).toBe(scopeOfErrorCode(error.code));
    expect(error.message.length).toBeGreaterThan(10);
    expect(Buffer.byteLength(error.raw ?? '', 'utf8')).toBeLessThanOrEqual(
      ERROR_RAW_MAX_BYTES,
    );
  }
  const fileErrors = file.errors.filter((e) => e.scope === 'file');
  expect(fileErrors.length).toBeLessThanOrEqual(1);
  expect(file.totals.failed).toBe(fileErrors.length === 1);
  if (file.totals.failed) expect(file.events).toEqual([]);
  expect(file.totals.rowsRead).toBe(file.totals.events + file.totals.rowErrors);
};

/** The outcome, without times, to compare runs of the same bytes. */
const outcome = (file: ParsedFile) => ({
  ids: file.events.map((e) => e.event_id),
  errors: file.errors.map(({ code, location, raw }) => ({
    code,
    location,
    raw,
  })),
  rowsRead: file.totals.rowsRead,
});

const chunkBytes = fc.integer({ min: 1, max: 300 });
const CSV_HEADER =
  'user_id,Event_Name,event_datetime,vendor_product_id,proceeds_usd,profile_total_revenue_usd,cancellation_reason';

describe('any input', () => {
  it('random bytes never crash the parsers', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 2000 }),
        chunkBytes,
        async (bytes, size) => {
          expectSound(
            await parseBytes(Buffer.from(bytes), { chunkBytes: size }),
          );
        },
      ),
      { numRuns: 200 },
    );
  });

  it('random bytes behind ZIP magic are one file record', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 2000 }), async (bytes) => {
        const file = await parseBytes(
          Buffer.concat([Buffer.from('PK\x03\x04'), bytes]),
        );
        expectSound(file);
        expect(file.errors.map((e) => e.code)).toEqual(['CORRUPT_ZIP']);
      }),
      { numRuns: 100 },
    );
  });
});

describe('Adapty CSV', () => {
  const csv = sample('adapty_events_export.csv').toString('utf8');
  const [header, ...rows] = csv.trimEnd().split('\n');

  it('truncated anywhere: sound, and the rows before the cut load', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: csv.length }),
        chunkBytes,
        async (cut, size) => {
          const file = await parseBytes(csv.slice(0, cut), {
            chunkBytes: size,
          });
          expectSound(file);
          const wholeRows = csv.slice(0, cut).split('\n').length - 2;
          if (cut > header.length)
            expect(file.events.length).toBeGreaterThanOrEqual(wholeRows);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('shuffled rows give the same events', async () => {
    const reference = new Set(
      (await parseBytes(csv)).events.map((e) => e.event_id),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.shuffledSubarray(rows, { minLength: rows.length }),
        chunkBytes,
        async (shuffled, size) => {
          const file = await parseBytes([header, ...shuffled].join('\r\n'), {
            chunkBytes: size,
          });
          expectSound(file);
          expect(new Set(file.events.map((e) => e.event_id))).toEqual(
            reference,
          );
        },
      ),
      { numRuns: 50 },
    );
  });

  it('CSV-like noise: sound, and the same whatever the chunking', async () => {
    const noise = fc.string({
      unit: fc.constantFrom(
        'a',
        '1',
        ',',
        '"',
        '\n',
        '\r',
        ' ',
        'é',
        '2024-01-01T00:00:00Z',
        'trial_started',
      ),
      maxLength: 300,
    });
    await fc.assert(
      fc.asyncProperty(
        noise,
        chunkBytes,
        fc.integer({ min: 8, max: 64 }),
        async (body, size, maxRowBytes) => {
          const text = `${CSV_HEADER}\n${body}`;
          const limits = { maxRowBytes };
          const whole = await parseBytes(text, { limits });
          const chunked = await parseBytes(text, { limits, chunkBytes: size });
          expectSound(chunked);
          expect(outcome(chunked)).toEqual(outcome(whole));
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('GA4 ZIP', () => {
  const zip = sample('ga4_export_day1.zip');

  it('truncated anywhere: sound, one file record', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: zip.length - 1 }),
        async (cut) => {
          const file = await parseBytes(zip.subarray(0, cut));
          expectSound(file);
          expect(file.totals.failed).toBe(true);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('with bytes flipped: sound', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.tuple(
            fc.integer({ min: 0, max: zip.length - 1 }),
            fc.integer({ min: 0, max: 255 }),
          ),
          {
            minLength: 1,
            maxLength: 8,
          },
        ),
        async (flips) => {
          const bytes = Buffer.from(zip);
          for (const [at, value] of flips) bytes[at] = value;
          expectSound(await parseBytes(bytes));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('entries cut anywhere keep every event before the cut', async () => {
    const events = Array.from({ length: 6 }, (_, i) =>
      ga4Event({ batch_event_index: String(i) }),
    );
    const texts = [prettyArray(events), ndjson(events)];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...texts),
        fc.double({ min: 0, max: 1, noNaN: true }),
        async (text, at) => {
          const cut = Math.floor(text.length * at);
          const file = await parseBytes(
            await zipOf({ 'e.json': text.slice(0, cut) }),
          );
          expectSound(file);
          const complete = events.filter((_, i) => {
            const end = text.indexOf(
              `"batch_event_index":${text.startsWith('[') ? ' ' : ''}"${i}"`,
            );
            return end >= 0 && text.indexOf('}', end) < cut;
          }).length;
          expect(file.events.length).toBeGreaterThanOrEqual(complete);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('JSON-like noise in an entry: sound', async () => {
    const noise = fc.string({
      unit: fc.constantFrom(
        '[',
        ']',
        '{',
        '}',
        '"',
        '\\',
        ',',
        ':',
        ' ',
        '\n',
        'a',
        '1',
        'ü',
        JSON.stringify(ga4Event()),
      ),
      maxLength: 60,
    });
    await fc.assert(
      fc.asyncProperty(noise, async (text) => {
        expectSound(await parseBytes(await zipOf({ 'e.json': text })));
      }),
      { numRuns: 150 },
    );
  });

  it('the JSON splitter gives the same elements whatever the chunking', () => {
    const noise = fc.string({
      unit: fc.constantFrom(
        '[',
        ']',
        '{',
        '}',
        '"',
        '\\',
        ',',
        ' ',
        '\n',
        'a',
        '1',
        'ü',
      ),
      maxLength: 80,
    });
    const run = (bytes: Buffer, size: number) => {
      const seen: unknown[] = [];
      const splitter = new JsonSplitter(
        {
          element: (buf, start, end, index, line) =>
            seen.push([index, line, buf.toString('hex', start, end)]),
          oversizedElement: ({ index, line, bytes: count }) =>
            seen.push(['oversized', index, line, count]),
        },
        24,
      );
      for (let i = 0; i < bytes.length; i += size)
        splitter.push(bytes.subarray(i, i + size));
      splitter.end();
      return [
        seen,
        splitter.takeProblems().map((p) => [p.code, p.index, p.line]),
      ];
    };
    fc.assert(
      fc.property(noise, fc.integer({ min: 1, max: 20 }), (text, size) => {
        const bytes = Buffer.from(text, 'utf8');
        expect(run(bytes, size)).toEqual(run(bytes, bytes.length || 1));
      }),
      { numRuns: 500 },
    );
  });
});
