import { jsonTextStart, JsonTexts, ParsedChunk } from '@event-pipeline/parsers';
import {
  MAX_CHANGES_PER_BATCH,
  MAX_ERRORS_PER_BATCH,
  MAX_EVENTS_PER_BATCH,
  profileChangeOrderingKey,
  SourceFileRef,
  TopicKey,
  UnifiedEvent,
} from '@event-pipeline/schema';

/** A message ready to publish, its JSON glued together once, here. */
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
   * Profile changes gathered before they are published, grouped by ordering
   * key: the more a window holds, the fuller each key's messages.
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

const COMMA = Buffer.from(',');
const CLOSE = Buffer.from(']}');

/** `{"file":…,"batchIndex":n,<field>:[…]}` around pieces of JSON texts. */
const envelope = (
  fileJson: string,
  batchIndex: number,
  field: string,
  pieces: readonly Uint8Array[],
): Buffer => {
  const parts: Uint8Array[] = [
    Buffer.from(`{"file":${fileJson},"batchIndex":${batchIndex},"${field}":[`),
  ];
  for (const piece of pieces) {
    if (parts.length > 1) parts.push(COMMA);
    parts.push(piece);
  }
  parts.push(CLOSE);
  return Buffer.concat(parts);
};

const textOf = (texts: JsonTexts, i: number): Uint8Array =>
  texts.bytes.subarray(jsonTextStart(texts, i), texts.ends[i]);

/**
 * Texts gathered for the next message of one stream, as pieces of the
 * chunks' buffers: texts that follow each other in a chunk stay one piece,
 * commas included, so nothing is copied until the message is made.
 */
class Gathered {
  private pieces: Uint8Array[] = [];
  count = 0;
  bytes = 0;
  private texts: JsonTexts | null = null;
  private from = 0;
  private to = 0;

  /** Adds text `i` of `texts`, which takes `bytes` bytes in a message. */
  add(texts: JsonTexts, i: number, bytes = 0): void {
    const start = jsonTextStart(texts, i);
    if (this.texts !== texts || this.to + 1 !== start) {
      this.cut();
      this.texts = texts;
      this.from = start;
    }
    this.to = texts.ends[i];
    this.count++;
    this.bytes += bytes;
  }

  private cut(): void {
    if (this.texts === null) return;
    this.pieces.push(this.texts.bytes.subarray(this.from, this.to));
    this.texts = null;
  }

  take(): Uint8Array[] {
    this.cut();
    const pieces = this.pieces;
    this.pieces = [];
    this.count = 0;
    this.bytes = 0;
    return pieces;
  }
}

/**
 * Cuts one file's output into the messages of the three output streams,
 * gluing the parsers' JSON texts together without reading them again.
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
  private readonly events = new Gathered();
  /** Changes gathered per ordering key, in the order keys first appeared. */
  private pendingChanges = new Map<string, Uint8Array[]>();
  private pendingChangeCount = 0;
  private readonly errors = new Gathered();

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
  addEvents(events: JsonTexts): {
    messages: OutboundMessage[];
    tooLarge: { eventId: string; bytes: number }[];
  } {
    const messages: OutboundMessage[] = [];
    const tooLarge: { eventId: string; bytes: number }[] = [];
    const room = this.limits.maxMessageBytes - this.fileJson.length - 64;
    for (let i = 0; i < events.ends.length; i++) {
      const bytes = events.ends[i] - jsonTextStart(events, i) + 1;
      if (bytes > room) {
        const text = Buffer.from(textOf(events, i)).toString('utf8');
        const { event_id: eventId } = JSON.parse(text) as UnifiedEvent;
        tooLarge.push({ eventId, bytes });
        continue;
      }
      if (this.events.count > 0 && this.events.bytes + bytes > room) {
        messages.push(this.closeEventBatch());
      }
      this.events.add(events, i, bytes);
      if (this.events.count >= this.limits.eventsPerBatch)
        messages.push(this.closeEventBatch());
    }
    return { messages, tooLarge };
  }

  addProfileChanges(changes: ParsedChunk['profileChanges']): OutboundMessage[] {
    changes.userIds.forEach((userId, i) => {
      const key = profileChangeOrderingKey(userId);
      const forKey = this.pendingChanges.get(key);
      if (forKey) forKey.push(textOf(changes, i));
      else this.pendingChanges.set(key, [textOf(changes, i)]);
    });
    this.pendingChangeCount += changes.userIds.length;
    return this.pendingChangeCount >= this.limits.profileChangeWindow
      ? this.closeProfileChangeWindow()
      : [];
  }

  addErrors(errors: JsonTexts): OutboundMessage[] {
    const messages: OutboundMessage[] = [];
    for (let i = 0; i < errors.ends.length; i++) {
      this.errors.add(errors, i);
      if (this.errors.count >= this.limits.errorsPerBatch)
        messages.push(this.closeErrorBatch());
    }
    return messages;
  }

  /** Whatever is still gathered, and the batch counts for the manifest. */
  finish(): { messages: OutboundMessage[]; counts: OutputCounts } {
    const messages = [
      ...(this.events.count > 0 ? [this.closeEventBatch()] : []),
      ...this.closeProfileChangeWindow(),
      ...(this.errors.count > 0 ? [this.closeErrorBatch()] : []),
    ];
    return { messages, counts: { ...this.counts } };
  }

  private closeEventBatch(): OutboundMessage {
    const data = envelope(
      this.fileJson,
      this.counts.eventBatches++,
      'events',
      this.events.take(),
    );
    return { topic: 'unifiedEvents', data };
  }

  private closeProfileChangeWindow(): OutboundMessage[] {
    const messages: OutboundMessage[] = [];
    for (const [orderingKey, changes] of this.pendingChanges) {
      for (
        let start = 0;
        start < changes.length;
        start += MAX_CHANGES_PER_BATCH
      ) {
        const data = envelope(
          this.fileJson,
          this.counts.profileChangeBatches++,
          'changes',
          changes.slice(start, start + MAX_CHANGES_PER_BATCH),
        );
        messages.push({ topic: 'profileChanges', data, orderingKey });
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
      'records',
      this.errors.take(),
    );
    return { topic: 'ingestErrors', data };
  }
}
