import { BigQuery } from '@google-cloud/bigquery';
import { Bucket } from '@google-cloud/storage';
import { adaptyEvent } from '../../testing/fixtures';
import { unifiedEventRow } from '../profile-values-on-events';
import {
  CloudStorageStaging,
  LoadJobEventWrites,
  loadJobId,
  stagedObjectName,
  StagingStore,
} from './load-jobs';
import { FakeBigQueryServer, LoadJob } from './testing/fake-bigquery.server';
import { TEST_DATASET } from './testing/fake-warehouse';

class MemoryStaging implements StagingStore {
  readonly objects = new Map<string, string>();
  async write(objectName: string, content: string): Promise<string> {
    if (!this.objects.has(objectName)) this.objects.set(objectName, content);
    return `gs://staging/${objectName}`;
  }
}

describe('load jobs', () => {
  const target = {
    sourceFile: 'gs://event-inbox/ga4/2024-09-18 export.zip#1726644161123456',
    generation: '1726644161123456',
    batchIndex: 7,
  };

  it('derive the job id from the file generation and the batch, within the characters a job id allows', () => {
    const id = loadJobId(TEST_DATASET, target);
    expect(id).toMatch(
      /^warehouse_unified_events_load_[0-9a-f]{24}_1726644161123456_7$/,
    );
    expect(loadJobId(TEST_DATASET, target)).toBe(id);
    expect(loadJobId(TEST_DATASET, { ...target, batchIndex: 8 })).not.toBe(id);
    expect(
      loadJobId(TEST_DATASET, {
        ...target,
        sourceFile: 'gs://event-inbox/ga4/2024-09-18 export.zip#2',
        generation: '2',
      }),
    ).not.toBe(id);
    expect(stagedObjectName(target)).toBe(
      'unified-events/event-inbox/ga4/2024-09-18 export.zip/1726644161123456/7.ndjson',
    );
    expect(loadJobId(TEST_DATASET, target, 2)).toBe(`${id}_retry2`);
    expect(stagedObjectName(target, 2)).toBe(
      'unified-events/event-inbox/ga4/2024-09-18 export.zip/1726644161123456/7_retry2.ndjson',
    );
  });

  describe('LoadJobEventWrites', () => {
    let server: FakeBigQueryServer;
    let staging: MemoryStaging;
    let writes: LoadJobEventWrites;
    const loads: LoadJob[] = [];
    const rows = ['e1', 'e2'].map((id, index) => ({
      index,
      row: unifiedEventRow(
        adaptyEvent(id, 'u1'),
        undefined,
        '2024-09-18T08:00:00.000Z',
      ),
    }));

    beforeEach(async () => {
      loads.length = 0;
      server = await FakeBigQueryServer.start();
      server.onLoad((job) => {
        loads.push(job);
        return 2;
      });
      staging = new MemoryStaging();
      const client = new BigQuery({
        ...server.clientOptions(),
        projectId: 'test-project',
        apiEndpoint: server.url,
      });
      writes = new LoadJobEventWrites(client, TEST_DATASET, 'EU', staging);
    });

    afterEach(() => server.close());

    it('stage the rows as NDJSON and append them with one load job, all or nothing', async () => {
      await expect(writes.write(target, rows)).resolves.toEqual({
        loaded: 2,
        refused: [],
      });
      const ndjson = staging.objects.get(stagedObjectName(target)) as string;
      const lines = ndjson.split('\n').map((line) => JSON.parse(line));
      expect(lines.map((line) => line.event_id)).toEqual(['e1', 'e2']);
      expect(lines[0]).toMatchObject({
        proceeds_usd: '7.490000001',
        event_parameters: { store: 'app_store', product_id: 'pro_monthly' },
      });
      expect(loads).toEqual([
        {
          jobId: loadJobId(TEST_DATASET, target),
          load: {
            sourceUris: [`gs://staging/${stagedObjectName(target)}`],
            sourceFormat: 'NEWLINE_DELIMITED_JSON',
            destinationTable: {
              projectId: 'test-project',
              datasetId: 'warehouse',
              tableId: 'unified_events',
            },
            writeDisposition: 'WRITE_APPEND',
            createDisposition: 'CREATE_NEVER',
            maxBadRecords: 0,
          },
        },
      ]);
    });

    it('never load a retried batch twice: an earlier attempt’s job is the batch’s load', async () => {
      await writes.write(target, rows);
      // The retry sees its rows as loaded already, so it has none to write.
      await expect(writes.write(target, [])).resolves.toEqual({
        loaded: 2,
        refused: [],
      });
      expect(loads).toHaveLength(1);
    });

    it('take the job a concurrent delivery created meanwhile', async () => {
      server.failNext('GET', /\/jobs\/warehouse_unified_events_load_/, [
        { status: 404, reason: 'notFound' },
      ]);
      await writes.write(target, rows);
      server.failNext('GET', /\/jobs\/warehouse_unified_events_load_/, [
        { status: 404, reason: 'notFound' },
      ]);
      await expect(writes.write(target, rows)).resolves.toEqual({
        loaded: 2,
        refused: [],
      });
      expect(loads).toHaveLength(1);
    });

    it('fail the batch when its job fails', async () => {
      server.onLoad(() => {
        throw {
          reason: 'invalid',
          message:
            'Error while reading data, error message: JSON parsing error in row starting at position 0',
        };
      });
      await expect(writes.write(target, rows)).rejects.toThrow(
        /JSON parsing error/,
      );
    });

    it('fail the batch again at its next delivery, with no second job, when its job failed for good', async () => {
      server.onLoad((job) => {
        loads.push(job);
        throw { reason: 'invalid', message: 'JSON parsing error' };
      });
      await expect(writes.write(target, rows)).rejects.toThrow(
        /JSON parsing error/,
      );
      await expect(writes.write(target, rows)).rejects.toThrow(
        /JSON parsing error/,
      );
      expect(loads).toHaveLength(1);
    });

    it('run the next job at the next delivery when the last one failed for a transient reason', async () => {
      const failures = ['backendError', 'rateLimitExceeded'];
      server.onLoad((job) => {
        loads.push(job);
        const reason = failures.shift();
        if (reason) throw { reason, message: `${reason} on the load` };
        return 2;
      });
      await expect(writes.write(target, rows)).rejects.toThrow(/backendError/);
      await expect(writes.write(target, rows)).rejects.toThrow(
        /rateLimitExceeded/,
      );
      await expect(writes.write(target, rows)).resolves.toEqual({
        loaded: 2,
        refused: [],
      });
      // A later delivery finds the job that loaded the rows.
      await expect(writes.write(target, [])).resolves.toEqual({
        loaded: 2,
        refused: [],
      });
      expect(loads.map((load) => load.jobId)).toEqual([
        loadJobId(TEST_DATASET, target),
        `${loadJobId(TEST_DATASET, target)}_retry1`,
        `${loadJobId(TEST_DATASET, target)}_retry2`,
      ]);
      expect(loads.map((load) => load.load['sourceUris'])).toEqual(
        [0, 1, 2].map((attempt) => [
          `gs://staging/${stagedObjectName(target, attempt)}`,
        ]),
      );
    });

    it('write nothing for a batch with no new rows and no earlier job', async () => {
      await expect(writes.write(target, [])).resolves.toEqual({
        loaded: 0,
        refused: [],
      });
      expect(loads).toEqual([]);
      expect(staging.objects.size).toBe(0);
    });
  });

  it('stage in Cloud Storage once: a retry keeps the first copy', async () => {
    const saves: unknown[] = [];
    const bucket = {
      name: 'acme-staging',
      file: (name: string) => ({
        save: async (content: string, options: unknown) => {
          saves.push({ name, content, options });
          if (saves.length > 1)
            throw Object.assign(new Error('conditionNotMet'), { code: 412 });
        },
      }),
    } as unknown as Bucket;
    const staging = new CloudStorageStaging(bucket);
    await expect(staging.write('a/1.ndjson', '{}')).resolves.toBe(
      'gs://acme-staging/a/1.ndjson',
    );
    await expect(staging.write('a/1.ndjson', '{}')).resolves.toBe(
      'gs://acme-staging/a/1.ndjson',
    );
    expect(saves[0]).toMatchObject({
      options: { resumable: false, preconditionOpts: { ifGenerationMatch: 0 } },
    });
  });
});
