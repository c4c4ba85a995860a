import JSZip from 'jszip';
import {
  ga4Event,
  ndjson,
  parseBytes,
  prettyArray,
  zipOf,
} from '../testing/parse-fixtures';

const events = (count: number, from = 0) =>
  Array.from({ length: count }, (_, i) =>
    ga4Event({
      event_timestamp: String(1701665082201167 + from + i),
      batch_event_index: String(from + i),
    }),
  );

const codes = (errors: { code: string; location: object }[]) =>
  errors.map(({ code, location }) => ({ code, ...location }));

describe('GA4 ZIP', () => {
  it('loads array and NDJSON entries, passing over folders and junk silently', async () => {
    const zip = await zipOf({
      'export/': null,
      'export/events_000.json': prettyArray(events(3)),
      'export/events_001.ndjson': ndjson(events(2, 3)),
      'export/events_002.JSONL': ndjson(events(1, 5)),
      '__MACOSX/export/._events_000.json': 'junk',
      'export/._events_001.ndjson': 'junk',
      'export/.DS_Store': 'junk',
    });
    const { events: loaded, errors, totals } = await parseBytes(zip);
    expect(errors).toEqual([]);
    expect(loaded).toHaveLength(6);
    expect(new Set(loaded.map((e) => e.event_id)).size).toBe(6);
    expect(totals).toMatchObject({
      kind: 'ga4',
      rowsRead: 6,
      events: 6,
      failed: false,
    });
  });

  it('loads an archive written with data descriptors (streamed entries)', async () => {
    const zip = new JSZip();
    zip.file('events.json', prettyArray(events(4)));
    const bytes = await zip.generateAsync({
      type: 'nodebuffer',
      compression: 'DEFLATE',
      streamFiles: true,
    });
    expect((await parseBytes(bytes)).events).toHaveLength(4);
  });

  it('reads the archive the same whether its size is told, wrong or unknown', async () => {
    const zip = await zipOf({ 'events.json': prettyArray(events(30)) });
    const ids = async (size?: number) =>
      (await parseBytes(zip, { size, chunkBytes: 1000 })).events.map(
        (e) => e.event_id,
      );
    const reference = await ids();
    expect(reference).toHaveLength(30);
    for (const size of [
      zip.length,
      zip.length - 100,
      zip.length + 1500,
      10,
      0,
    ]) {
      expect(await ids(size)).toEqual(reference);
    }
  });

  it('records an unsupported entry and loads the rest', async () => {
    const zip = await zipOf({
      'readme.txt': 'hello',
      'events.json': prettyArray(events(2)),
    });
    const { events: loaded, errors, totals } = await parseBytes(zip);
    expect(loaded).toHaveLength(2);
    expect(codes(errors)).toEqual([
      { code: 'UNSUPPORTED_ENTRY', entry: 'readme.txt' },
    ]);
    expect(errors[0].scope).toBe('entry');
    expect(totals).toMatchObject({ fileErrors: 1, failed: false });
  });

  it.each([
    ['an empty ZIP', {}, 'none (the archive is empty'],
    [
      'a ZIP of folders and junk',
      { 'a/': null, '__MACOSX/._x.json': 'j', '.DS_Store': 'j' },
      'none',
    ],
    [
      'a ZIP of other files',
      { 'a.csv': 'x', 'b.txt': 'y' },
      'only a.csv, b.txt',
    ],
  ])(
    'rejects %s with one NO_EVENT_ENTRIES record',
    async (_, entries, found) => {
      const { errors, totals } = await parseBytes(await zipOf(entries));
      expect(codes(errors)).toEqual([{ code: 'NO_EVENT_ENTRIES' }]);
      expect(errors[0].message).toContain(`found ${found}`);
      expect(totals).toMatchObject({ failed: true, fileErrors: 1 });
    },
  );

  it('rejects a corrupt or truncated archive with one CORRUPT_ZIP record', async () => {
    const zip = await zipOf({ 'events.json': prettyArray(events(20)) });
    for (const bytes of [
      zip.subarray(0, zip.length - 30),
      zip.subarray(0, Math.floor(zip.length / 2)),
      Buffer.concat([zip.subarray(0, 4), Buffer.alloc(200, 7)]),
    ]) {
      const { events: loaded, errors, totals } = await parseBytes(bytes);
      expect(loaded).toEqual([]);
      expect(codes(errors)).toEqual([{ code: 'CORRUPT_ZIP' }]);
      expect(errors[0].scope).toBe('file');
      expect(totals.failed).toBe(true);
    }
  });

  it('keeps the events before a cut in the JSON and records the cut once', async () => {
    const text = prettyArray(events(5));
    const cut = text.indexOf(
      '"event_name"',
      text.indexOf('"batch_event_index": "3"'),
    );
    const {
      events: loaded,
      errors,
      totals,
    } = await parseBytes(
      await zipOf({ 'export/events.json': text.slice(0, cut) }),
    );
    expect(loaded).toHaveLength(4);
    expect(codes(errors)).toEqual([
      { code: 'TRUNCATED_JSON', entry: 'export/events.json', index: 4 },
    ]);
    expect(errors[0].scope).toBe('entry');
    expect(totals).toMatchObject({
      rowsRead: 4,
      events: 4,
      fileErrors: 1,
      failed: false,
    });
  });

  it('records data that fails its CRC-32 after loading what it read', async () => {
    const zip = new JSZip();
    zip.file('events.json', prettyArray(events(3)));
    const bytes = await zip.generateAsync({
      type: 'nodebuffer',
      compression: 'STORE',
    });
    const at = bytes.indexOf('Paywall');
    bytes[at] = 'Q'.charCodeAt(0);
    const { events: loaded, errors } = await parseBytes(bytes);
    expect(loaded).toHaveLength(3);
    expect(codes(errors)).toEqual([
      { code: 'CORRUPT_ENTRY', entry: 'events.json', index: 3 },
    ]);
    expect(errors[0].message).toContain('CRC-32');
  });

  it('records deflate data that breaks part-way, keeping the events before', async () => {
    const zip = new JSZip();
    zip.file('events.json', prettyArray(events(400)));
    const bytes = await zip.generateAsync({
      type: 'nodebuffer',
      compression: 'DEFLATE',
    });
    const dataStart = 30 + 'events.json'.length;
    const dataEnd = bytes.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    const middle = Math.floor((dataStart + dataEnd) / 2);
    bytes.fill(0xff, middle, middle + 64);
    const { events: loaded, errors, totals } = await parseBytes(bytes);
    const entryErrors = errors.filter((e) => e.scope === 'entry');
    expect(entryErrors).toHaveLength(1);
    expect(entryErrors[0]).toMatchObject({
      code: 'CORRUPT_ENTRY',
      location: { entry: 'events.json' },
    });
    expect(loaded.length).toBeGreaterThan(0);
    expect(loaded.length).toBeLessThan(400);
    expect(totals.rowsRead).toBe(totals.events + totals.rowErrors);
  });

  describe('limits', () => {
    it('stops an entry at maxEntryBytes, keeping the events before', async () => {
      const text = prettyArray(events(10));
      const perEvent = text.length / 10;
      const { events: loaded, errors } = await parseBytes(
        await zipOf({
          'big.json': text,
          'small.ndjson': ndjson(events(1, 100)),
        }),
        { limits: { maxEntryBytes: Math.floor(perEvent * 4.5) } },
      );
      expect(loaded).toHaveLength(5);
      expect(codes(errors)).toEqual([
        { code: 'ENTRY_TOO_LARGE', entry: 'big.json', index: 4 },
      ]);
      expect(errors[0].message).toContain('maxEntryBytes');
    });

    it('stops an entry past the compression ratio, counting bytes actually inflated', async () => {
      const bomb = `[${Array(20_000).fill(JSON.stringify(ga4Event())).join(',')}]`;
      const { events: loaded, errors } = await parseBytes(
        await zipOf({ 'bomb.json': bomb }),
        {
          limits: { maxCompressionRatio: 50 },
        },
      );
      expect(loaded.length).toBeGreaterThan(0);
      expect(loaded.length).toBeLessThan(20_000);
      expect(codes(errors)).toEqual([
        {
          code: 'COMPRESSION_RATIO_EXCEEDED',
          entry: 'bomb.json',
          index: loaded.length,
        },
      ]);
      expect(errors[0].message).toContain('maxCompressionRatio');
    });

    it('skips an element over maxElementBytes as a row record, and loads the next', async () => {
      const big = ga4Event({ padding: 'x'.repeat(5000) });
      const {
        events: loaded,
        errors,
        totals,
      } = await parseBytes(
        await zipOf({
          'a.json': prettyArray([...events(1), big, ...events(1, 1)]),
        }),
        { limits: { maxElementBytes: 4000 } },
      );
      expect(loaded).toHaveLength(2);
      expect(codes(errors)).toEqual([
        { code: 'ELEMENT_TOO_LARGE', entry: 'a.json', index: 1 },
      ]);
      expect(errors[0].scope).toBe('row');
      expect(Buffer.byteLength(errors[0].raw ?? '')).toBeLessThanOrEqual(4096);
      expect(totals).toMatchObject({ rowsRead: 3, events: 2, rowErrors: 1 });
    });

    it('rejects an archive over maxArchiveBytes without reading it all', async () => {
      const zip = await zipOf({ 'a.json': prettyArray(events(50)) });
      const { errors } = await parseBytes(zip, {
        limits: { maxArchiveBytes: 1000 },
        chunkBytes: 256,
      });
      expect(codes(errors)).toEqual([{ code: 'ARCHIVE_TOO_LARGE' }]);
      expect(errors[0].message).toContain('at most 1000 bytes');
    });
  });

  describe('elements that cannot be loaded', () => {
    it('records each with its entry, index and NDJSON line, and loads the next', async () => {
      const lines = [
        JSON.stringify(ga4Event()),
        '',
        '{"event_name": "broken"',
        '[1, 2]',
        JSON.stringify(ga4Event({ event_timestamp: 'soon' })),
        JSON.stringify(ga4Event({ batch_event_index: '9' })),
      ].join('\n');
      const {
        events: loaded,
        errors,
        totals,
      } = await parseBytes(await zipOf({ 'e.ndjson': lines }));
      expect(loaded).toHaveLength(2);
      expect(codes(errors)).toEqual([
        { code: 'INVALID_JSON', entry: 'e.ndjson', index: 1, line: 3 },
        { code: 'INVALID_FIELD', entry: 'e.ndjson', index: 2, line: 4 },
        { code: 'INVALID_FIELD', entry: 'e.ndjson', index: 3, line: 5 },
      ]);
      expect(errors[0].message).toMatch(
        /^entry e\.ndjson, element 1 \(line 3\): expected a JSON value/,
      );
      expect(errors[0].raw).toBe('{"event_name": "broken"');
      expect(totals).toMatchObject({ rowsRead: 5, events: 2, rowErrors: 3 });
    });

    it('records array elements by entry and index', async () => {
      const text = `[${JSON.stringify(ga4Event())}, 42, {"event_name": tru}, ${JSON.stringify(ga4Event({ batch_event_index: '8' }))}]`;
      const { events: loaded, errors } = await parseBytes(
        await zipOf({ 'a.json': text }),
      );
      expect(loaded).toHaveLength(2);
      expect(codes(errors)).toEqual([
        { code: 'INVALID_FIELD', entry: 'a.json', index: 1 },
        { code: 'INVALID_JSON', entry: 'a.json', index: 2 },
      ]);
    });
  });

  it('keeps int64 values exact, whatever JSON.parse would do to them', async () => {
    const line = JSON.stringify(ga4Event({ event_params: [] })).replace(
      '"event_params":[]',
      '"event_params":[{"key":"big","value":{"string_value":null,"int_value":12345678901234567890,"float_value":null,"double_value":null}},{"key":"edge","value":{"int_value":9007199254740993}},{"key":"safe","value":{"int_value":9007199254740991}}]',
    );
    const { events: loaded } = await parseBytes(
      await zipOf({ 'a.ndjson': line }),
    );
    expect(loaded[0].event_parameters).toEqual({
      big: '12345678901234567890',
      edge: '9007199254740993',
      safe: 9007199254740991,
    });
  });

  it('gives first_open events their profile changes', async () => {
    const { profileChanges } = await parseBytes(
      await zipOf({
        'a.json': prettyArray([
          ga4Event({ event_name: 'first_open' }),
          ga4Event(),
        ]),
      }),
    );
    expect(profileChanges).toHaveLength(1);
    expect(profileChanges[0].attributes?.device).toBe('Galaxy S21 5G');
  });

  it('puts at most chunkRows elements in a chunk, each chunk balanced', async () => {
    const { chunks } = await parseBytes(
      await zipOf({ 'a.json': prettyArray(events(25)) }),
      {
        chunkRows: 10,
      },
    );
    expect(chunks.map((c) => c.rowsRead)).toEqual([10, 10, 5]);
  });
});
