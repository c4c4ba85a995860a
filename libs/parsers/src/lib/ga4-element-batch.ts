import { ErrorLocation } from '@event-pipeline/schema';
import { parseJsonExact } from './exact-json';
import { mapGa4Event } from './ga4-event.mapper';
import { JsonElementBatch, jsonBatchRows } from './json-element-batch';
import { ChunkBuilder } from './chunk-builder';
import { ParsedChunk } from './parsed-chunk';

const elementLocation = (
  entry: string,
  index: number,
  line: number,
): ErrorLocation => (line > 0 ? { entry, index, line } : { entry, index });

/**
 * Parses each element of a batch on its own with JSON.parse and maps it to a
 * unified event or a row error record. Elements whose integers lost digits in
 * JSON.parse are parsed again exactly.
 */
export const parseGa4Elements = (
  batch: JsonElementBatch,
  entry: string,
  sourceFile: string,
): ParsedChunk => {
  const chunk = new ChunkBuilder('ga4', sourceFile);
  chunk.rowsRead = jsonBatchRows(batch);
  let start = 0;
  for (let i = 0; i < batch.indices.length; i++) {
    const end = batch.ends[i];
    const text = batch.bytes.toString('utf8', start, end);
    start = end;
    let element: unknown;
    try {
      element = JSON.parse(text);
    } catch (error) {
      chunk.addError(
        'INVALID_JSON',
        elementLocation(entry, batch.indices[i], batch.lines[i]),
        `expected a JSON value, found text JSON.parse rejects: ${(error as Error).message}`,
        text,
      );
      continue;
    }
    const reading = { exact: false, lostDigits: false };
    let outcome = mapGa4Event(element, sourceFile, reading);
    if (reading.lostDigits) {
      outcome = mapGa4Event(parseJsonExact(text), sourceFile, {
        exact: true,
        lostDigits: false,
      });
    }
    const problem = chunk.addRow(outcome);
    if (problem !== null) {
      chunk.addError(
        problem.code,
        elementLocation(entry, batch.indices[i], batch.lines[i]),
        problem.message,
        text,
      );
    }
  }
  for (const element of batch.oversized) {
    chunk.addError(
      'ELEMENT_TOO_LARGE',
      elementLocation(entry, element.index, element.line),
      `expected a JSON element of at most ${element.limit} bytes (maxElementBytes), found at least ${element.bytes}; the element was skipped unread`,
      element.head.toString('utf8'),
    );
  }
  return chunk.finish();
};
