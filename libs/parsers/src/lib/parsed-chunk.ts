import {
  ErrorRecord,
  FileKind,
  ProfileChange,
  UnifiedEvent,
} from '@event-pipeline/schema';

/**
 * One slice of a parsed file. Every row read (a CSV data row or a JSON
 * element) ends up as exactly one event or one row-scope error record in the
 * same chunk, so `rowsRead === events.length + row errors` holds per chunk.
 * File- and entry-scope records ride along in `errors` and are not rows.
 */
export interface ParsedChunk {
  /** `null` while or when the file's kind could not be told. */
  kind: FileKind | null;
  events: UnifiedEvent[];
  profileChanges: ProfileChange[];
  errors: ErrorRecord[];
  rowsRead: number;
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

export const emptyChunk = (kind: FileKind | null): ParsedChunk => ({
  kind,
  events: [],
  profileChanges: [],
  errors: [],
  rowsRead: 0,
});

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
  totals.events += chunk.events.length;
  totals.profileChanges += chunk.profileChanges.length;
  for (const error of chunk.errors) {
    if (error.scope === 'row') totals.rowErrors++;
    else totals.fileErrors++;
    if (error.scope === 'file') totals.failed = true;
  }
  return totals;
};
