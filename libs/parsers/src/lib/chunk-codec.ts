import {
  ErrorRecord,
  FileKind,
  ProfileChange,
  UnifiedEvent,
} from '@event-pipeline/schema';
import { setOwn } from './json-object';
import { ParsedChunk } from './parsed-chunk';

/**
 * A parsed chunk on its way from a worker thread: every string joined into
 * one, sliced apart again by `lengths`; every number in `numbers`; a tag per
 * value in `tags`. postMessage's own structured clone spends more per event
 * (a property name written and read back for every field) than parsing the
 * row did; this form crosses as one string and three transferable arrays,
 * and is decoded into plain objects only when the chunk is handed over.
 * Error records are few and travel as they are.
 */
export interface EncodedChunk {
  encoded: true;
  kind: FileKind | null;
  rowsRead: number;
  events: number;
  profileChanges: number;
  errors: ErrorRecord[];
  text: string;
  lengths: Uint32Array;
  numbers: Float64Array;
  tags: Uint8Array;
}

const NULL = 0;
const STRING = 1;
const NUMBER = 2;
const TRUE = 3;
const FALSE = 4;
const ARRAY = 5;
const OBJECT = 6;

const grown = <T extends Uint8Array | Uint32Array | Float64Array>(
  array: T,
  needed: number,
): T => {
  if (needed <= array.length) return array;
  const bigger = new (array.constructor as new (length: number) => T)(
    Math.max(needed, array.length * 2),
  );
  bigger.set(array);
  return bigger;
};

/** Grows to the largest chunk seen and is reused: a worker encodes one chunk at a time. */
class Writer {
  tags = new Uint8Array(1 << 14);
  tagCount = 0;
  numbers = new Float64Array(1 << 12);
  numberCount = 0;
  lengths = new Uint32Array(1 << 13);
  strings: string[] = [];

  reset(): void {
    this.tagCount = 0;
    this.numberCount = 0;
    this.strings = [];
  }

  tag(tag: number): void {
    this.tags = grown(this.tags, this.tagCount + 1);
    this.tags[this.tagCount++] = tag;
  }

  number(value: number): void {
    this.numbers = grown(this.numbers, this.numberCount + 1);
    this.numbers[this.numberCount++] = value;
  }

  string(value: string): void {
    this.lengths = grown(this.lengths, this.strings.length + 1);
    this.lengths[this.strings.length] = value.length;
    this.strings.push(value);
  }

  /** A string or null: the bulk of every event. */
  text(value: string | null | undefined): void {
    if (value === null || value === undefined) {
      this.tag(NULL);
    } else {
      this.tag(STRING);
      this.string(value);
    }
  }

  value(value: unknown): void {
    if (value === null || value === undefined) {
      this.tag(NULL);
    } else if (typeof value === 'string') {
      this.tag(STRING);
      this.string(value);
    } else if (typeof value === 'number') {
      this.tag(NUMBER);
      this.number(value);
    } else if (typeof value === 'boolean') {
      this.tag(value ? TRUE : FALSE);
    } else if (Array.isArray(value)) {
      this.tag(ARRAY);
      this.number(value.length);
      for (const item of value) this.value(item);
    } else {
      const object = value as Record<string, unknown>;
      const keys = Object.keys(object);
      this.tag(OBJECT);
      this.number(keys.length);
      for (const key of keys) {
        this.string(key);
        this.value(object[key]);
      }
    }
  }
}

class Reader {
  private tag = 0;
  private number = 0;
  private string = 0;
  private offset = 0;

  constructor(private readonly chunk: EncodedChunk) {}

  value(): unknown {
    switch (this.chunk.tags[this.tag++]) {
      case STRING:
        return this.nextString();
      case NUMBER:
        return this.chunk.numbers[this.number++];
      case TRUE:
        return true;
      case FALSE:
        return false;
      case ARRAY: {
        const length = this.chunk.numbers[this.number++];
        const array: unknown[] = [];
        for (let i = 0; i < length; i++) array.push(this.value());
        return array;
      }
      case OBJECT: {
        const size = this.chunk.numbers[this.number++];
        const object: Record<string, unknown> = {};
        for (let i = 0; i < size; i++) {
          const key = this.nextString();
          setOwn(object, key, this.value());
        }
        return object;
      }
      default:
        return null;
    }
  }

  private nextString(): string {
    const start = this.offset;
    this.offset += this.chunk.lengths[this.string++];
    return this.chunk.text.slice(start, this.offset);
  }
}

const writer = new Writer();

/** Writes a chunk's events and profile changes, field by field in a fixed order. */
export const encodeChunk = (chunk: ParsedChunk): EncodedChunk => {
  writer.reset();
  for (const event of chunk.events) {
    writer.text(event.event_id);
    writer.text(event.source);
    writer.text(event.user_id);
    writer.text(event.event_name);
    writer.value(event.event_datetime);
    writer.text(event.city);
    writer.text(event.region);
    writer.text(event.country);
    writer.text(event.os);
    writer.text(event.app_version);
    writer.value(event.event_parameters);
    writer.text(event.proceeds_usd);
    writer.text(event.profile_total_revenue_usd);
    writer.text(event.cancellation_reason);
    writer.text(event.source_file);
  }
  for (const change of chunk.profileChanges) {
    writer.text(change.user_id);
    writer.text(change.event_id);
    writer.value(change.event_datetime);
    writer.value(change.attributes);
    writer.value(change.install_date);
    writer.value(change.subscription);
    writer.text(change.revenue);
  }
  return {
    encoded: true,
    kind: chunk.kind,
    rowsRead: chunk.rowsRead,
    events: chunk.events.length,
    profileChanges: chunk.profileChanges.length,
    errors: chunk.errors,
    text: writer.strings.join(''),
    lengths: writer.lengths.slice(0, writer.strings.length),
    numbers: writer.numbers.slice(0, writer.numberCount),
    tags: writer.tags.slice(0, writer.tagCount),
  };
};

/** The transferable parts of an encoded chunk, to move rather than copy. */
export const chunkTransfer = (chunk: EncodedChunk): ArrayBuffer[] => [
  chunk.lengths.buffer as ArrayBuffer,
  chunk.numbers.buffer as ArrayBuffer,
  chunk.tags.buffer as ArrayBuffer,
];

export const decodeChunk = (chunk: EncodedChunk): ParsedChunk => {
  const reader = new Reader(chunk);
  const events: UnifiedEvent[] = [];
  for (let i = 0; i < chunk.events; i++) {
    events.push({
      event_id: reader.value() as string,
      source: reader.value() as string,
      user_id: reader.value() as string,
      event_name: reader.value() as string,
      event_datetime: reader.value() as number,
      city: reader.value() as string | null,
      region: reader.value() as string | null,
      country: reader.value() as string | null,
      os: reader.value() as string | null,
      app_version: reader.value() as string | null,
      event_parameters: reader.value() as Record<string, unknown> | null,
      proceeds_usd: reader.value() as string | null,
      profile_total_revenue_usd: reader.value() as string | null,
      cancellation_reason: reader.value() as string | null,
      source_file: reader.value() as string,
    });
  }
  const profileChanges: ProfileChange[] = [];
  for (let i = 0; i < chunk.profileChanges; i++) {
    const change: ProfileChange = {
      user_id: reader.value() as string,
      event_id: reader.value() as string,
      event_datetime: reader.value() as number,
    };
    const attributes = reader.value();
    if (attributes !== null) {
      change.attributes = attributes as ProfileChange['attributes'];
    }
    const installDate = reader.value();
    if (installDate !== null) change.install_date = installDate as number;
    const subscription = reader.value();
    if (subscription !== null) {
      change.subscription = subscription as ProfileChange['subscription'];
    }
    const revenue = reader.value();
    if (revenue !== null) change.revenue = revenue as string;
    profileChanges.push(change);
  }
  return {
    kind: chunk.kind,
    events,
    profileChanges,
    errors: chunk.errors,
    rowsRead: chunk.rowsRead,
  };
};
