import {
  ErrorRecord,
  FileAccountingRow,
  FileManifestDto,
  OutputStream,
  ProfileChange,
  ProfileRow,
  SourceFileRef,
  UnifiedEvent,
} from '@event-pipeline/schema';

/** One unified-events message: a batch of one file's events. */
export interface UnifiedEventBatch {
  file: SourceFileRef;
  batchIndex: number;
  events: readonly UnifiedEvent[];
}

export interface UnifiedEventBatchResult {
  /** Rows newly written to unified_events. */
  loaded: number;
  /** Rows dropped because their event_id was already loaded. */
  duplicates: number;
  /**
   * Rows the warehouse refused, as error records (code ROW_REJECTED) for the
   * caller to archive; they are counted in the file's row_errors.
   */
  rejected: ErrorRecord[];
  /** The batch had been committed before: nothing was written, the counts are the recorded ones. */
  redelivered: boolean;
}

/** One profile-changes message: a batch of one file's profile changes. */
export interface ProfileChangeBatch {
  file: SourceFileRef;
  batchIndex: number;
  changes: readonly ProfileChange[];
}

export interface ProfileChangesResult {
  /** Batches committed by this call. */
  committed: number;
  /** Batches committed before (or twice in the call), skipped. */
  redelivered: number;
  /** Profiles whose row changed. */
  profilesChanged: number;
}

/** One ingest-errors message, once its records are in the error archive. */
export interface ErrorRecordBatch {
  file: SourceFileRef;
  batchIndex: number;
  records: readonly ErrorRecord[];
}

export interface ErrorRecordBatchResult {
  /** Records counted for this batch (the first delivery's count on redelivery). */
  records: number;
  redelivered: boolean;
}

/** A batch that could not be handled and was archived as a dead letter. */
export interface DeadLetteredBatch {
  file: SourceFileRef;
  stream: OutputStream;
  batchIndex: number;
  /** Items the batch carried (events, changes or error records). */
  rows: number;
}

/** What one reconcile of the profile columns on unified_events did. */
export interface ProfileColumnsReconcile {
  /**
   * False when the call had nothing to do: the adapter keeps the columns
   * current as it writes, or another instance already ran this window.
   */
  ran: boolean;
  /** unified_events rows brought up to date. */
  rowsUpdated: number;
}

/**
 * What the services need from the warehouse. Every write takes a whole batch
 * (a micro-batch of messages for profile changes) and records the batch's
 * commit with it, so an adapter can use one round trip per batch and
 * redelivered messages change nothing.
 */
export interface Warehouse {
  /**
   * Writes a batch of unified events, dropping those whose event_id is
   * already loaded, with the profile columns taken from each user's current
   * profile.
   */
  insertEventBatch(batch: UnifiedEventBatch): Promise<UnifiedEventBatchResult>;

  /**
   * Folds the changes into the profiles and brings the profile columns of
   * those users' unified_events rows up to date.
   */
  applyProfileChanges(
    batches: readonly ProfileChangeBatch[],
  ): Promise<ProfileChangesResult>;

  /**
   * Brings the profile columns of unified_events rows up to date where the
   * writes could not (on BigQuery, rows are streamed, and cannot be updated
   * for a while). Meant to be called on a timer.
   */
  reconcileProfileColumns(): Promise<ProfileColumnsReconcile>;

  /** The profiles of those of the users that have one. */
  getProfiles(userIds: readonly string[]): Promise<ProfileRow[]>;

  /** Counts an archived batch of error records towards its file. */
  recordErrorBatch(batch: ErrorRecordBatch): Promise<ErrorRecordBatchResult>;

  /**
   * Counts a dead-lettered batch as settled, so that it no longer holds its
   * file open: an event batch's rows become row errors of the file. A batch
   * already committed is left as it is.
   */
  recordDeadLetteredBatch(
    batch: DeadLetteredBatch,
  ): Promise<{ redelivered: boolean }>;

  /** Records a file manifest (started or finished); returns the file's accounting. */
  recordFileManifest(manifest: FileManifestDto): Promise<FileAccountingRow>;

  /** The accounting of one file, by `gs://bucket/object#generation`. */
  getFileAccounting(sourceFile: string): Promise<FileAccountingRow | null>;

  listFileAccounting(): Promise<FileAccountingRow[]>;

  close(): Promise<void>;
}
