import { parseSourceFile } from './parse-source-file';
import { detectFileKind, isZipArchive } from './file-kind';
import {
  decodeChunk,
  ga4Event,
  inChunks,
  parseBytes,
  prettyArray,
  TEST_FILE,
  zipOf,
} from '../testing/parse-fixtures';

const EMPTY_ZIP = Buffer.from([
  0x50,
  0x4b,
  0x05,
  0x06,
  ...new Array(18).fill(0),
]);

describe('file kind detection by content', () => {
  it('knows a ZIP by its magic bytes, an empty ZIP included', async () => {
    expect(isZipArchive(await zipOf({ 'a.json': '[]' }))).toBe(true);
    expect(isZipArchive(EMPTY_ZIP)).toBe(true);
    expect(isZipArchive(Buffer.from('PK'))).toBe(false);
    expect(isZipArchive(Buffer.from('PK\x07\x08'))).toBe(false);
    expect(detectFileKind(EMPTY_ZIP)).toBe('ga4');
  });

  it.each([
    'profile_id,event_type,event_datetime',
    'user_id,Event_Name,event_datetime',
    'user_id,event_name,event_datetime',
    '\ufeffuser_id, EVENT_TYPE ,event_datetime',
    '"user_id","Event_Name","event_datetime"',
  ])('knows an Adapty CSV by its header %j', (header) => {
    expect(detectFileKind(Buffer.from(`${header}\r\nu,e,d\r\n`))).toBe(
      'adapty',
    );
  });

  it.each([
    ['a CSV of something else', 'id,name,created_at\n1,a,b\n'],
    ['an event column only inside a value', 'id,note\n1,event_type\n'],
    ['plain text', 'hello world'],
    ['JSON', '[{"event_name": "first_open"}]'],
    ['nothing', ''],
  ])('knows nothing of %s', (_, text) => {
    expect(detectFileKind(Buffer.from(text))).toBeNull();
  });

  it('goes by content, never by the file name', async () => {
    const csv =
      'user_id,Event_Name,event_datetime\nu,trial_started,2024-01-01T00:00:00Z\n';
    const zip = await zipOf({ 'events.json': prettyArray([ga4Event()]) });
    const named = async (bytes: Buffer, name: string) => {
      const kinds = [];
      for await (const chunk of parseSourceFile(inChunks(bytes), {
        file: { ...TEST_FILE, name },
      })) {
        kinds.push(chunk.kind);
      }
      return kinds;
    };
    expect(await named(Buffer.from(csv), 'export.zip')).toEqual(['adapty']);
    expect(await named(Buffer.from(csv), 'export.json')).toEqual(['adapty']);
    expect(await named(zip, 'events.csv')).toEqual(['ga4']);
  });

  it('rejects an unknown CSV with one clear file record', async () => {
    const { events, errors, totals } = await parseBytes('id,name\n1,a\n2,b\n');
    expect(events).toEqual([]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({
      code: 'UNKNOWN_FORMAT',
      scope: 'file',
      location: {},
      raw: 'id,name',
      source_file: 'gs://inbox/exports/file#1700000000000001',
    });
    expect(errors[0].message).toBe(
      'file: expected a ZIP archive (a GA4 export) or a CSV whose header names event_type, Event_Name, event_name (an Adapty export); found a first line with the columns id, name',
    );
    expect(totals).toMatchObject({
      kind: null,
      failed: true,
      fileErrors: 1,
      rowsRead: 0,
    });
  });

  it('rejects binary junk without a line break within the row limit', async () => {
    const junk = Buffer.alloc(10_000, 0xfe);
    const { errors } = await parseBytes(junk, {
      limits: { maxRowBytes: 1000 },
      chunkBytes: 100,
    });
    expect(errors).toHaveLength(1);
    expect(errors[0].code).toBe('UNKNOWN_FORMAT');
    expect(errors[0].message).toContain(
      'found no line break in the first 1000 bytes',
    );
  });

  it.each([
    ['an empty file', ''],
    ['a BOM alone', '\ufeff'],
    ['blank lines', '\r\n\n\r\n'],
  ])('rejects %s as EMPTY_FILE', async (_, text) => {
    const { errors, totals } = await parseBytes(text);
    expect(errors.map((e) => [e.code, e.scope])).toEqual([
      ['EMPTY_FILE', 'file'],
    ]);
    expect(totals.failed).toBe(true);
  });

  it('stops reading a file it rejected', async () => {
    let pulled = 0;
    async function* endless() {
      yield Buffer.from('id,name\n');
      for (;;) {
        pulled++;
        yield Buffer.from('1,a\n');
      }
    }
    const chunks = [];
    for await (const chunk of parseSourceFile(endless(), { file: TEST_FILE }))
      chunks.push(chunk);
    expect(chunks).toHaveLength(1);
    expect(decodeChunk(chunks[0]).errors[0].code).toBe('UNKNOWN_FORMAT');
    expect(pulled).toBeLessThanOrEqual(1);
  });
});
