import { FileAccountingRow } from '@event-pipeline/schema';
import { pollUntil } from './readiness';

export interface AccountingWaitOptions {
  timeoutMs: number;
  intervalMs?: number;
}

/**
 * Polls the accounting of each source file until every one is `done` or
 * `failed`, or the time is up. Returns the last row read for each (null:
 * none yet), finished or not.
 */
export const waitForAccounting = async (
  read: (sourceFile: string) => Promise<FileAccountingRow | null>,
  sourceFiles: readonly string[],
  { timeoutMs, intervalMs = 500 }: AccountingWaitOptions,
): Promise<Map<string, FileAccountingRow | null>> => {
  const latest = new Map<string, FileAccountingRow | null>(
    sourceFiles.map((file) => [file, null]),
  );
  const finished = (row: FileAccountingRow | null | undefined) =>
    row?.status === 'done' || row?.status === 'failed';
  await pollUntil(
    async () => {
      for (const file of sourceFiles) {
        if (!finished(latest.get(file))) latest.set(file, await read(file));
      }
      return sourceFiles.every((file) => finished(latest.get(file)));
    },
    { timeoutMs, intervalMs },
  );
  return latest;
};
