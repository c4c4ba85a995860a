import { PassThrough } from 'node:stream';
import { errorRecord } from '@event-pipeline/schema';
import { errorChunk } from './chunk-builder';
import { addChunkToTotals, emptyParseTotals } from './parsed-chunk';
import { parseSourceFile } from './parse-source-file';
import { inChunks, TEST_FILE } from '../testing/parse-fixtures';

const HEADER = 'user_id,Event_Name,event_datetime\n';
const row = (i: number) => `u${i},trial_started,2024-01-01T00:00:00Z\n`;

describe('parseSourceFile', () => {
  it('reads only as far as the consumer pulls', async () => {
    let pulled = 0;
    async function* endless() {
      yield Buffer.from(HEADER);
      for (let i = 0; ; i++) {
        pulled++;
        yield Buffer.from(row(i).repeat(10));
      }
    }
    const chunks = parseSourceFile(endless(), {
      file: TEST_FILE,
      chunkRows: 100,
    });
    let seen = 0;
    for await (const chunk of chunks) {
      expect(chunk.rowsRead).toBe(100);
      if (++seen === 3) break;
    }
    expect(pulled).toBeGreaterThanOrEqual(30);
    expect(pulled).toBeLessThanOrEqual(32);
  });

  it('releases a Node stream when the consumer stops early', async () => {
    const stream = new PassThrough();
    stream.write(HEADER + row(1).repeat(50));
    for await (const chunk of parseSourceFile(stream, {
      file: TEST_FILE,
      chunkRows: 10,
    })) {
      expect(chunk.events.ends).toHaveLength(10);
      break;
    }
    expect(stream.destroyed).toBe(true);
  });

  it('throws an error of the input stream, for the download to be retried', async () => {
    async function* failing() {
      yield Buffer.from(HEADER + row(1));
      throw new Error('connection reset');
    }
    const read = async () => {
      for await (const chunk of parseSourceFile(failing(), { file: TEST_FILE }))
        void chunk;
    };
    await expect(read()).rejects.toThrow('connection reset');
  });

  it('refuses a file size that is not a whole number of bytes', async () => {
    const chunks = parseSourceFile(inChunks(Buffer.from(HEADER)), {
      file: TEST_FILE,
      size: -1,
    });
    await expect(chunks.next()).rejects.toThrow(RangeError);
  });

  it('refuses a chunk size that is not a positive integer', async () => {
    const chunks = parseSourceFile(inChunks(Buffer.from(HEADER)), {
      file: TEST_FILE,
      chunkRows: 0,
    });
    await expect(chunks.next()).rejects.toThrow(RangeError);
  });
});

describe('parse totals', () => {
  it('sum rows, events, errors by scope and profile changes over chunks', () => {
    const record = (
      code: 'MALFORMED_ROW' | 'UNSUPPORTED_ENTRY' | 'CORRUPT_ZIP',
    ) =>
      errorRecord({
        source_file: 'gs://b/o#1',
        location: {},
        code,
        message: 'm',
      });
    const rows = {
      ...errorChunk([record('MALFORMED_ROW'), record('UNSUPPORTED_ENTRY')]),
      kind: 'ga4' as const,
      rowsRead: 3,
    };
    const totals = addChunkToTotals(
      addChunkToTotals(emptyParseTotals(), rows),
      rows,
    );
    expect(totals).toEqual({
      kind: 'ga4',
      rowsRead: 6,
      events: 0,
      rowErrors: 2,
      fileErrors: 2,
      profileChanges: 0,
      failed: false,
    });
    expect(
      addChunkToTotals(totals, errorChunk([record('CORRUPT_ZIP')])),
    ).toMatchObject({
      kind: 'ga4',
      fileErrors: 3,
      failed: true,
    });
  });
});
