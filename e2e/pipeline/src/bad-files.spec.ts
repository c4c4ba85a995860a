import { join } from 'node:path';
import { errorLogFolder, parseSourceFileUri } from '@event-pipeline/schema';
import { AccountingTableRow, ingestFiles } from '@event-pipeline/stack';
import {
  brokenEntriesZip,
  brokenRowsCsv,
  corruptZip,
  oversizedElementZip,
  oversizedEntryZip,
  truncatedZip,
  unknownLayoutCsv,
} from './support/bad-inputs';
import { ArchivedRecord, readErrorLogs } from './support/error-logs';
import { writeInput } from './support/input-files';
import { startTestStack, TestStack } from './support/test-stack';

const MAX_ENTRY_BYTES = 100_000;
const MAX_ELEMENT_BYTES = 20_000;
const RAW_LIMIT = 4096;

describe('bad files and bad rows', () => {
  let env: TestStack;
  const inputs = {
    corrupt: { name: 'corrupt.zip' },
    truncated: { name: 'truncated.zip' },
    unknown: { name: 'unknown-layout.csv' },
    empty: { name: 'empty.csv' },
    rows: { name: 'broken-rows.csv', ...brokenRowsCsv() },
  };
  let entries: Awaited<ReturnType<typeof brokenEntriesZip>>;
  let oversizedEntry: Awaited<ReturnType<typeof oversizedEntryZip>>;
  let oversizedElement: Awaited<ReturnType<typeof oversizedElementZip>>;
  const results = new Map<string, AccountingTableRow>();

  beforeAll(async () => {
    env = await startTestStack('bad-files', {
      MAX_ENTRY_BYTES: String(MAX_ENTRY_BYTES),
      MAX_ELEMENT_BYTES: String(MAX_ELEMENT_BYTES),
    });
    entries = await brokenEntriesZip();
    oversizedEntry = await oversizedEntryZip(MAX_ENTRY_BYTES);
    oversizedElement = await oversizedElementZip(MAX_ELEMENT_BYTES);
    const dir = join(env.dataDir, 'inputs');
    const files: [string, string | Buffer][] = [
      [inputs.corrupt.name, corruptZip()],
      [inputs.truncated.name, await truncatedZip()],
      [inputs.unknown.name, unknownLayoutCsv()],
      [inputs.empty.name, ''],
      [inputs.rows.name, inputs.rows.content],
      ['broken-entries.zip', entries.content],
      ['oversized-entry.zip', oversizedEntry.content],
      ['oversized-element.zip', oversizedElement.content],
    ];
    const paths = await Promise.all(
      files.map(([name, content]) => writeInput(dir, name, content)),
    );
    const rows = await ingestFiles(paths, {
      stack: env.stack,
      timeoutMs: 120_000,
    });
    files.forEach(([name], i) => results.set(name, rows[i]));
  });

  afterAll(() => env?.stop());

  const resultOf = (name: string): AccountingTableRow => {
    const result = results.get(name);
    if (!result) throw new Error(`${name} was not ingested`);
    return result;
  };

  const recordsOf = (name: string): Promise<ArchivedRecord[]> =>
    readErrorLogs(env.stack, resultOf(name).sourceFile);

  /** The archive and the accounting tell the same story about a file. */
  const expectRecordsMatchAccounting = (
    name: string,
    records: readonly ArchivedRecord[],
  ) => {
    const result = resultOf(name);
    const folder = errorLogFolder(parseSourceFileUri(result.sourceFile));
    for (const record of records) {
      expect(record.source_file).toBe(result.sourceFile);
      expect(record.log.startsWith(`${folder}/`)).toBe(true);
      expect(record.message).toEqual(expect.any(String));
      expect(Number.isNaN(Date.parse(record.occurred_at))).toBe(false);
      expect(Buffer.byteLength(record.raw ?? '')).toBeLessThanOrEqual(
        RAW_LIMIT,
      );
    }
    expect(records.filter((r) => r.scope === 'row')).toHaveLength(
      Number(result.rowErrors),
    );
    expect(
      records.filter((r) => r.scope === 'file' || r.scope === 'entry'),
    ).toHaveLength(Number(result.fileErrors));
    expect(result.balanced).toBe(true);
  };

  const loadedRows = (name: string) =>
    env.warehouse().events(resultOf(name).sourceFile);

  it.each([
    ['corrupt.zip', 'CORRUPT_ZIP'],
    ['truncated.zip', 'CORRUPT_ZIP'],
    ['unknown-layout.csv', 'UNKNOWN_FORMAT'],
    ['empty.csv', 'EMPTY_FILE'],
  ])('%s fails as a whole with one file record, %s', async (name, code) => {
    expect(resultOf(name)).toMatchObject({
      status: 'failed',
      rowsRead: 0,
      loaded: 0,
      duplicates: 0,
      rowErrors: 0,
      fileErrors: 1,
    });
    const records = await recordsOf(name);
    expect(records).toEqual([
      expect.objectContaining({ scope: 'file', code, location: {} }),
    ]);
    expectRecordsMatchAccounting(name, records);
    expect(loadedRows(name)).toEqual([]);
  });

  it('a CSV with broken rows loads its good rows and records each broken one at its line', async () => {
    const name = inputs.rows.name;
    expect(resultOf(name)).toMatchObject({
      status: 'done',
      kind: 'adapty',
      rowsRead: inputs.rows.goodRows + inputs.rows.broken.length,
      loaded: inputs.rows.goodRows,
      rowErrors: inputs.rows.broken.length,
      fileErrors: 0,
    });
    const records = await recordsOf(name);
    expect(
      records.map(({ scope, code, location }) => ({ scope, code, location })),
    ).toEqual(
      inputs.rows.broken.map(({ line, code }) => ({
        scope: 'row',
        code,
        location: { line },
      })),
    );
    for (const record of records) {
      expect(record.message).toContain(`line ${record.location.line}`);
      expect(record.raw).toContain(`broken-p${record.location.line},`);
    }
    expectRecordsMatchAccounting(name, records);
    expect(
      loadedRows(name)
        .map((row) => row.user_id)
        .sort(),
    ).toEqual([2, 3, 5, 8, 10, 11].map((line) => `broken-user-${line}`).sort());
  });

  it('a ZIP with a cut entry and an unsupported one loads the rest, with a record for each at its entry', async () => {
    const name = 'broken-entries.zip';
    expect(resultOf(name)).toMatchObject({
      status: 'done',
      kind: 'ga4',
      rowsRead: entries.goodEvents,
      loaded: entries.goodEvents,
      rowErrors: 0,
      fileErrors: 2,
    });
    const records = await recordsOf(name);
    expect(
      records
        .map(({ scope, code, location }) => ({ scope, code, location }))
        .sort((a, b) => a.code.localeCompare(b.code)),
    ).toEqual([
      {
        scope: 'entry',
        code: 'TRUNCATED_JSON',
        location: { entry: entries.cutEntry, index: entries.eventsBeforeCut },
      },
      {
        scope: 'entry',
        code: 'UNSUPPORTED_ENTRY',
        location: { entry: entries.unsupportedEntry },
      },
    ]);
    expectRecordsMatchAccounting(name, records);
    expect(loadedRows(name)).toHaveLength(entries.goodEvents);
  });

  it('an entry past MAX_ENTRY_BYTES loads up to the limit, with one record at the element in progress', async () => {
    const name = 'oversized-entry.zip';
    const records = await recordsOf(name);
    expect(records).toEqual([
      expect.objectContaining({
        scope: 'entry',
        code: 'ENTRY_TOO_LARGE',
        location: { entry: oversizedEntry.bigEntry, index: expect.any(Number) },
      }),
    ]);
    const readOfBig = Number(records[0].location.index);
    expect(readOfBig).toBeGreaterThan(0);
    expect(readOfBig).toBeLessThan(oversizedEntry.bigEvents);
    expect(resultOf(name)).toMatchObject({
      status: 'done',
      rowsRead: readOfBig + oversizedEntry.smallEvents,
      loaded: readOfBig + oversizedEntry.smallEvents,
      rowErrors: 0,
      fileErrors: 1,
    });
    expectRecordsMatchAccounting(name, records);
    const users = loadedRows(name).map((row) => row.user_id);
    // The small entry's users are those of its own seed, 31.
    expect(users.filter((user) => user.startsWith('bad31'))).toHaveLength(
      oversizedEntry.smallEvents,
    );
  });

  it('an element past MAX_ELEMENT_BYTES is one row error at its entry and index; its neighbours load', async () => {
    const name = 'oversized-element.zip';
    expect(resultOf(name)).toMatchObject({
      status: 'done',
      rowsRead: oversizedElement.goodEvents + 1,
      loaded: oversizedElement.goodEvents,
      rowErrors: 1,
      fileErrors: 0,
    });
    const records = await recordsOf(name);
    expect(records).toEqual([
      expect.objectContaining({
        scope: 'row',
        code: 'ELEMENT_TOO_LARGE',
        location: expect.objectContaining({
          entry: oversizedElement.entry,
          index: oversizedElement.index,
        }),
      }),
    ]);
    expectRecordsMatchAccounting(name, records);
  });

  it('keeps every service running', () => {
    expect(env.unexpectedExits).toEqual([]);
  });
});
