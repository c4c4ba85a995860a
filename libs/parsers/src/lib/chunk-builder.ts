import {
  checkUnifiedEvent,
  ErrorCode,
  ErrorLocation,
  ErrorRecord,
  errorRecord,
  ErrorScope,
  FileKind,
  ProfileChange,
} from '@event-pipeline/schema';
import { JsonTextsBuilder } from './json-texts';
import { writeProfileChange, writeUnifiedEvent } from './row-json';
import { ParsedChunk } from './parsed-chunk';
import {
  describeLocation,
  MappedEvent,
  RowOutcome,
  RowProblem,
  rowProblem,
} from './row-outcome';

/** How far a chunk had got, to go back to. */
export interface ChunkMark {
  events: number;
  profileChanges: number;
  errors: number;
}

/**
 * A chunk in the making: rows and records are written as JSON the moment
 * they are made, so the objects die young and the chunk leaves as a few
 * buffers. The same in a worker thread and in the calling one.
 */
export class ChunkBuilder {
  rowsRead = 0;
  private readonly events = new JsonTextsBuilder<MappedEvent>(
    writeUnifiedEvent,
  );
  private readonly profileChanges = new JsonTextsBuilder<ProfileChange>(
    writeProfileChange,
  );
  private readonly userIds: string[] = [];
  private readonly errors = new JsonTextsBuilder<ErrorRecord>((w, record) =>
    w.value(record),
  );
  private readonly scopes: ErrorScope[] = [];

  constructor(
    readonly kind: FileKind | null,
    private readonly sourceFile: string,
  ) {}

  /**
   * A mapped row, after the compiled row check, the cheap safety net between
   * the mappers and the warehouse. Returns the problem when the row did not
   * become an event; the caller records it with the raw text.
   */
  addRow(outcome: RowOutcome): RowProblem | null {
    if (!outcome.ok) return outcome;
    const problem = checkUnifiedEvent(outcome.event);
    if (problem !== null) return rowProblem('INVALID_FIELD', problem);
    this.events.add(outcome.event);
    const change = outcome.profileChange;
    if (change !== null) {
      this.profileChanges.add(change);
      this.userIds.push(change.user_id);
    }
    return null;
  }

  /** An error record, its message prefixed with where it points. */
  addError(
    code: ErrorCode,
    location: ErrorLocation,
    message: string,
    raw: string | null = null,
  ): void {
    this.addRecord(
      errorRecord({
        source_file: this.sourceFile,
        location,
        code,
        message: `${describeLocation(location)}: ${message}`,
        raw,
      }),
    );
  }

  addRecord(record: ErrorRecord): void {
    this.errors.add(record);
    this.scopes.push(record.scope);
  }

  get errorCount(): number {
    return this.errors.count;
  }

  mark(): ChunkMark {
    return {
      events: this.events.count,
      profileChanges: this.profileChanges.count,
      errors: this.errors.count,
    };
  }

  /** Drops everything added since the mark. */
  rollback(mark: ChunkMark): void {
    this.events.truncate(mark.events);
    this.profileChanges.truncate(mark.profileChanges);
    this.userIds.length = mark.profileChanges;
    this.errors.truncate(mark.errors);
    this.scopes.length = mark.errors;
  }

  finish(): ParsedChunk {
    return {
      kind: this.kind,
      rowsRead: this.rowsRead,
      events: this.events.finish(),
      profileChanges: {
        ...this.profileChanges.finish(),
        userIds: this.userIds,
      },
      errors: { ...this.errors.finish(), scopes: this.scopes },
    };
  }
}

/** A chunk of nothing but error records, such as a caller's own. */
export const errorChunk = (
  records: readonly ErrorRecord[],
  kind: FileKind | null = null,
): ParsedChunk => {
  const chunk = new ChunkBuilder(kind, '');
  for (const record of records) chunk.addRecord(record);
  return chunk.finish();
};
