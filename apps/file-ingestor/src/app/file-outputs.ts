import {
  ErrorRecord,
  MAX_CHANGES_PER_BATCH,
  MAX_ERRORS_PER_BATCH,
  MAX_EVENTS_PER_BATCH,
  ProfileChange,
  SourceFileRef,
  TopicKey,
  UnifiedEvent,
} from '@event-pipeline/schema';

/** A message ready to publish: its JSON is encoded once, here, and measured. */
export interface OutboundMessage {
  topic: TopicKey;
  data: Buffer;
  orderingKey?: string;
}

export interface FileOutputLimits {
  eventsPerBatch: number;
  /** Encoded bytes of one message; Pub/Sub accepts up to 10 MB. */
  maxMessageBytes: number;
  /**
   * Profile changes gathered before they are published, one message per
   * user: the more a window holds, the fewer messages a user gets.
   */
  profileChangeWindow: number;
  errorsPerBatch: number;
}

export const DEFAULT_FILE_OUTPUT_LIMITS: Readonly<FileOutputLimits> =
  Object.freeze({
    eventsPerBatch: 500,
    maxMessageBytes: 4 * 1024 * 1024,
    profileChangeWindow: 20_000,
    errorsPerBatch: MAX_ERRORS_PER_BATCH,
  });

export interface OutputCounts {
  eventBatches: number;
  profileChangeBatches: number;
  errorBatches: number;
}

/** `{"file":…,"batchIndex":n,<field>:[…]}` from items already encoded. */
const envelope = (
  fileJson: string,
  batchIndex: number,
  extra: string,
  field: string,
  items: readonly string[],
): Buffer =>
  Buffer.from(
    `{"file":${fileJson},"batchIndex":${batchIndex}${extra},"${field}":[${items.join(',')}]}`,
  );

/**
 * Cuts one file's output into the messages of the three output streams.
 * Batching depends only on the content, never on timing, so a file read
 * again after a crash yields the same batches with the same indexes, which
 * is what lets the consumers recognise a batch they already committed.
 */
export class FileOutputs {
  private readonly fileJson: string;
  private readonly counts: OutputCounts = {
    eventBatches: 0,
    profileChangeBatches: 0,
    errorBatches: 0,
  };
  private events: string[] = [];
  private eventBytes = 0;
  private pendingChanges = new Map<string, string[]>();
  private pendingChangeCount = 0;
  private errors: string[] = [];

  constructor(
    file: SourceFileRef,
    private readonly limits: FileOutputLimits = DEFAULT_FILE_OUTPUT_LIMITS,
  ) {
    this.fileJson = JSON.stringify(file);
    if (limits.eventsPerBatch > MAX_EVENTS_PER_BATCH) {
      throw new RangeError(
        `eventsPerBatch must be at most ${MAX_EVENTS_PER_BATCH}`,
      );
    }
  }

  /**
   * Events, as complete batches. An event too large for any message comes
   * back in `tooLarge`, for the caller to turn into an error record.
   */
  addEvents(events: readonly UnifiedEvent[]): {
    messages: OutboundMessage[];
    tooLarge: { event: UnifiedEvent; bytes: number }[];
  } {
    const messages: OutboundMessage[] = [];
    const tooLarge: { event: UnifiedEvent; bytes: number }[] = [];
    const room = this.limits.maxMessageBytes - this.fileJson.length - 64;
    for (const event of events) {
      const json = JSON.stringify(event);
      const bytes = Buffer.byteLength(json) + 1;
      if (bytes > room) {
        tooLarge.push({ event, bytes });
        continue;
      }
      if (this.events.length > 0 && this.eventBytes + bytes > room) {
        messages.push(this.closeEventBatch());
      }
      this.events.push(json);
      this.eventBytes += bytes;
      if (this.events.length >= this.limits.eventsPerBatch)
        messages.push(this.closeEventBatch());
    }
    return { messages, tooLarge };
  }

  addProfileChanges(changes: readonly ProfileChange[]): OutboundMessage[] {
    for (const change of changes) {
      const forUser = this.pendingChanges.get(change.user_id);
      const json = JSON.stringify(change);
      if (forUser) forUser.push(json);
      else this.pendingChanges.set(change.user_id, [json]);
    }
    this.pendingChangeCount += changes.length;
    return this.pendingChangeCount >= this.limits.profileChangeWindow
      ? this.closeProfileChangeWindow()
      : [];
  }

  addErrors(errors: readonly ErrorRecord[]): OutboundMessage[] {
    const messages: OutboundMessage[] = [];
    for (const error of errors) {
      this.errors.push(JSON.stringify(error));
      if (this.errors.length >= this.limits.errorsPerBatch)
        messages.push(this.closeErrorBatch());
    }
    return messages;
  }

  /** Whatever is still gathered, and the batch counts for the manifest. */
  finish(): { messages: OutboundMessage[]; counts: OutputCounts } {
    const messages = [
      ...(this.events.length > 0 ? [this.closeEventBatch()] : []),
      ...this.closeProfileChangeWindow(),
      ...(this.errors.length > 0 ? [this.closeErrorBatch()] : []),
    ];
    return { messages, counts: { ...this.counts } };
  }

  private closeEventBatch(): OutboundMessage {
    const data = envelope(
      this.fileJson,
      this.counts.eventBatches++,
      '',
      'events',
      this.events,
    );
    this.events = [];
    this.eventBytes = 0;
    return { topic: 'unifiedEvents', data };
  }

  private closeProfileChangeWindow(): OutboundMessage[] {
    const messages: OutboundMessage[] = [];
    for (const [userId, changes] of this.pendingChanges) {
      for (
        let start = 0;
        start < changes.length;
        start += MAX_CHANGES_PER_BATCH
      ) {
        const data = envelope(
          this.fileJson,
          this.counts.profileChangeBatches++,
          `,"userId":${JSON.stringify(userId)}`,
          'changes',
          changes.slice(start, start + MAX_CHANGES_PER_BATCH),
        );
        messages.push({ topic: 'profileChanges', data, orderingKey: userId });
      }
    }
    this.pendingChanges = new Map();
    this.pendingChangeCount = 0;
    return messages;
  }

  private closeErrorBatch(): OutboundMessage {
    const data = envelope(
      this.fileJson,
      this.counts.errorBatches++,
      '',
      'records',
      this.errors,
    );
    this.errors = [];
    return { topic: 'ingestErrors', data };
  }
}
