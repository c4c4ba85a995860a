import { AdaptyColumns } from './adapty-columns';
import { parseAdaptyRows } from './adapty-row-batch';
import { CsvRowBatch } from './csv-row-batch';
import { parseGa4Elements } from './ga4-element-batch';
import { JsonElementBatch } from './json-element-batch';
import { ParsedChunk } from './parsed-chunk';

/**
 * A batch of rows or elements with what it takes to map them: the CPU-heavy
 * step of a file, self-contained, so a worker thread can run it.
 */
export type ParseTask =
  | { kind: 'ga4'; batch: JsonElementBatch; entry: string; sourceFile: string }
  | {
      kind: 'adapty';
      batch: CsvRowBatch;
      columns: AdaptyColumns;
      sourceFile: string;
    };

export const runParseTask = (task: ParseTask): ParsedChunk =>
  task.kind === 'ga4'
    ? parseGa4Elements(task.batch, task.entry, task.sourceFile)
    : parseAdaptyRows(task.batch, task.columns, task.sourceFile);

/** What the pool posts to a worker, and what comes back. */
export interface ParseRequest {
  id: number;
  task: ParseTask;
}
export type ParseReply =
  | { ready: true }
  | { id: number; chunk: ParsedChunk }
  | { id: number; error: string };

const asBuffer = (bytes: Uint8Array): Buffer =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

/** A task as a worker receives it, its Buffers turned back from the Uint8Arrays they travel as. */
export const reviveParseTask = (task: ParseTask): ParseTask => {
  const batch = task.batch;
  batch.bytes = asBuffer(batch.bytes);
  for (const oversized of batch.oversized)
    oversized.head = asBuffer(oversized.head);
  return task;
};

/**
 * A copy of the task whose batch bytes sit alone in a fresh ArrayBuffer, to
 * be moved to a worker rather than copied again (a Buffer is often a view
 * into a bigger shared one, all of which would be copied).
 */
export const transferableParseTask = (
  task: ParseTask,
): { task: ParseTask; transfer: ArrayBuffer[] } => {
  const bytes = new Uint8Array(task.batch.bytes);
  const batch = { ...task.batch, bytes: bytes as Buffer };
  return { task: { ...task, batch } as ParseTask, transfer: [bytes.buffer] };
};
