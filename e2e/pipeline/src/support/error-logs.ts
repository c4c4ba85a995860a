import {
  errorLogFolder,
  ErrorRecord,
  parseSourceFileUri,
} from '@event-pipeline/schema';
import { StackLocation } from '@event-pipeline/stack';
import { storageClient } from './cloud-clients';

/** An archived error record, with the log object it was read from. */
export type ArchivedRecord = ErrorRecord & {
  log: string;
  dead_letter?: Record<string, unknown>;
};

type Location = Pick<StackLocation, 'endpoints' | 'topology'>;

/** Every record of every NDJSON log under a prefix of the errors bucket, read through the official client. */
export const readErrorLogsUnder = async (
  stack: Location,
  prefix: string,
): Promise<ArchivedRecord[]> => {
  const bucket = storageClient(stack).bucket(stack.topology.buckets.errors);
  const [files] = await bucket.getFiles({ prefix });
  const records: ArchivedRecord[] = [];
  for (const file of files) {
    const [content] = await file.download();
    for (const line of content.toString('utf8').split('\n')) {
      if (line.trim()) {
        records.push({ ...(JSON.parse(line) as ErrorRecord), log: file.name });
      }
    }
  }
  return records;
};

/** The records archived for one source file (`gs://bucket/object#generation`). */
export const readErrorLogs = (
  stack: Location,
  sourceFile: string,
): Promise<ArchivedRecord[]> =>
  readErrorLogsUnder(
    stack,
    `${errorLogFolder(parseSourceFileUri(sourceFile))}/`,
  );
