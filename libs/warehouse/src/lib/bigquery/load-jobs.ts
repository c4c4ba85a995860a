import { BigQuery, Job, JobMetadata } from '@google-cloud/bigquery';
import { Bucket } from '@google-cloud/storage';
import { createHash } from 'node:crypto';
import {
  parseSourceFileUri,
  UNIFIED_EVENT_COLUMNS,
  UNIFIED_EVENTS_TABLE,
} from '@event-pipeline/schema';
import {
  DatasetRef,
  isDuplicateJob,
  STATEMENT_LABEL,
} from './bigquery-statements';
import { encodeRow } from './bigquery-values';
import { TRANSIENT_REASONS } from './retry';
import {
  EventBatchTarget,
  EventRowsWriter,
  EventRowsWritten,
  EventRowToWrite,
} from './event-rows-writer';

/** Where load files are staged. */
export interface StagingStore {
  /**
   * Writes the object unless it exists already (a retried batch keeps its
   * first copy) and returns its gs:// URI.
   */
  write(objectName: string, content: string): Promise<string>;
}

/** The staging store on a Cloud Storage bucket. */
export class CloudStorageStaging implements StagingStore {
  constructor(private readonly bucket: Bucket) {}

  async write(objectName: string, content: string): Promise<string> {
    try {
      await this.bucket.file(objectName).save(content, {
        resumable: false,
        contentType: 'application/x-ndjson',
        preconditionOpts: { ifGenerationMatch: 0 },
      });
    } catch (error) {
      // 412: staged by an earlier attempt of the same batch.
      if ((error as { code?: unknown }).code !== 412) throw error;
    }
    return `gs://${this.bucket.name}/${objectName}`;
  }
}

/**
 * A batch's load jobs, in order: its first, then one more for each delivery
 * that found all the earlier ones failed for a transient reason.
 */
const attemptSuffix = (attempt: number) =>
  attempt === 0 ? '' : `_retry${attempt}`;

/** `unified-events/<bucket>/<object>/<generation>/<batch>[_retry<n>].ndjson` */
export const stagedObjectName = (
  target: EventBatchTarget,
  attempt = 0,
): string => {
  const { bucket, name, generation } = parseSourceFileUri(target.sourceFile);
  return `unified-events/${bucket}/${name}/${generation}/${target.batchIndex}${attemptSuffix(attempt)}.ndjson`;
};

/**
 * The load job of one batch of one file generation. Job ids are unique in a
 * project, so a retried batch finds its own earlier job instead of loading
 * the rows a second time. The object name is hashed to keep the id within
 * the characters a job id allows.
 */
export const loadJobId = (
  dataset: DatasetRef,
  target: EventBatchTarget,
  attempt = 0,
): string => {
  const { bucket, name, generation } = parseSourceFileUri(target.sourceFile);
  const object = createHash('sha256')
    .update(`${bucket}/${name}`)
    .digest('hex')
    .slice(0, 24);
  return `${dataset.datasetId}_unified_events_load_${object}_${generation}_${target.batchIndex}${attemptSuffix(attempt)}`;
};

/** A job BigQuery ended with an error it documents as worth retrying: it loaded nothing. */
const failedTransiently = (metadata: JobMetadata): boolean => {
  const reason = metadata.status?.errorResult?.reason;
  return (
    metadata.status?.state === 'DONE' &&
    reason !== undefined &&
    TRANSIENT_REASONS.has(reason)
  );
};

/**
 * The batch-load mode: each batch's new rows are staged in Cloud Storage as
 * NDJSON and loaded by a load job (free, unlike streaming, and with no
 * streaming buffer), with a job id derived from the file's generation and
 * the batch index. A load is all or nothing: a bad row fails the job, and
 * the batch, which the retry policy then sends to the dead letters. A job
 * that failed for a transient reason (a backend error, a rate limit) is
 * followed, at the batch's next delivery, by a new job of the next id.
 */
export class LoadJobEventWrites implements EventRowsWriter {
  constructor(
    private readonly client: BigQuery,
    private readonly dataset: DatasetRef,
    private readonly location: string | undefined,
    private readonly staging: StagingStore,
  ) {}

  async write(
    target: EventBatchTarget,
    rows: readonly EventRowToWrite[],
  ): Promise<EventRowsWritten> {
    for (let attempt = 0; ; attempt++) {
      const jobId = loadJobId(this.dataset, target, attempt);
      const earlier = await this.existingJob(jobId);
      if (earlier && failedTransiently(earlier.metadata)) continue;
      // An earlier attempt's job is the batch's load, whatever this attempt
      // would stage: its rows now look like duplicates to the lookup.
      const job =
        earlier?.job ??
        (rows.length === 0
          ? undefined
          : await this.start(jobId, attempt, target, rows));
      if (!job) return { loaded: 0, refused: [] };
      // Resolves once the job is done; rejects with the job's error.
      const [metadata] = (await job.promise()) as [JobMetadata];
      return {
        loaded: Number(metadata.statistics?.load?.outputRows ?? 0),
        refused: [],
      };
    }
  }

  private async existingJob(
    jobId: string,
  ): Promise<{ job: Job; metadata: JobMetadata } | undefined> {
    const job = this.client.job(jobId, { location: this.location });
    try {
      const [metadata] = await job.getMetadata();
      return { job, metadata };
    } catch (error) {
      if ((error as { code?: unknown }).code === 404) return undefined;
      throw error;
    }
  }

  private async start(
    jobId: string,
    attempt: number,
    target: EventBatchTarget,
    rows: readonly EventRowToWrite[],
  ): Promise<Job> {
    const ndjson = rows
      .map(({ row }) =>
        JSON.stringify(encodeRow(UNIFIED_EVENT_COLUMNS, row, 'object')),
      )
      .join('\n');
    const uri = await this.staging.write(
      stagedObjectName(target, attempt),
      ndjson,
    );
    try {
      const [job] = await this.client.createJob({
        jobId,
        location: this.location,
        configuration: {
          labels: { [STATEMENT_LABEL]: 'event-load' },
          load: {
            sourceUris: [uri],
            sourceFormat: 'NEWLINE_DELIMITED_JSON',
            destinationTable: {
              projectId: this.dataset.projectId,
              datasetId: this.dataset.datasetId,
              tableId: UNIFIED_EVENTS_TABLE.name,
            },
            writeDisposition: 'WRITE_APPEND',
            createDisposition: 'CREATE_NEVER',
            maxBadRecords: 0,
          },
        },
      });
      return job;
    } catch (error) {
      // Created meanwhile by a concurrent delivery of the same batch.
      if (!isDuplicateJob(error)) throw error;
      return this.client.job(jobId, { location: this.location });
    }
  }
}
