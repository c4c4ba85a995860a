import { ErrorScope, FileKind } from '@event-pipeline/schema';
import { JsonTexts, jsonTextsTransfer } from './json-texts';

/**
 * One slice of a parsed file, as publish-ready JSON. Every row read (a CSV
 * data row or a JSON element) ends up as exactly one event or one row-scope
 * error record in the same chunk, so `rowsRead === events + row errors`
 * holds per chunk. File- and entry-scope records ride along in `errors` and
 * are not rows.
 */
export interface ParsedChunk {
  /** `null` while or when the file's kind could not be told. */
  kind: FileKind | null;
  rowsRead: number;
  /** Each text a `UnifiedEvent`. */
  events: JsonTexts;
  /** Each text a `ProfileChange`, `userIds[i]` the user of the i-th. */
  profileChanges: JsonTexts & { userIds: string[] };
  /** Each text an `ErrorRecord`, `scopes[i]` the scope of the i-th. */
  errors: JsonTexts & { scopes: ErrorScope[] };
}

/** What the file accounting needs from a whole file, summed over its chunks. */
export interface ParseTotals {
  kind: FileKind | null;
  rowsRead: number;
  events: number;
  rowErrors: number;
  /** File- and entry-scope error records. */
  fileErrors: number;
  profileChanges: number;
  /** True when the file was rejected as a whole (a file-scope record). */
  failed: boolean;
}

export const emptyParseTotals = (): ParseTotals => ({
  kind: null,
  rowsRead: 0,
  events: 0,
  rowErrors: 0,
  fileErrors: 0,
  profileChanges: 0,
  failed: false,
});

/** Adds one chunk to running totals, in place, and returns them. */
export const addChunkToTotals = (
  totals: ParseTotals,
  chunk: ParsedChunk,
): ParseTotals => {
  totals.kind = totals.kind ?? chunk.kind;
  totals.rowsRead += chunk.rowsRead;
  totals.events += chunk.events.ends.length;
  totals.profileChanges += chunk.profileChanges.ends.length;
  for (const scope of chunk.errors.scopes) {
    if (scope === 'row') totals.rowErrors++;
    else totals.fileErrors++;
    if (scope === 'file') totals.failed = true;
  }
  return totals;
};

/** The buffers of a chunk, to be moved to another thread rather than copied. */
export const chunkTransfer = (chunk: ParsedChunk): ArrayBuffer[] => [
  ...jsonTextsTransfer(chunk.events),
  ...jsonTextsTransfer(chunk.profileChanges),
  ...jsonTextsTransfer(chunk.errors),
];
