import * as fs from 'node:fs';
import * as path from 'node:path';

/** One journal record: a JSON header and an optional binary blob. */
export interface JournalRecord {
  header: Record<string, unknown>;
  /** Written one after the other without being joined first. */
  blob?: readonly Buffer[];
}

export interface ReadRecord {
  header: Record<string, unknown>;
  /** A view into the read buffer: copy what must outlive the record. */
  blob: Buffer;
}

const FRAME = 8;
const READ_CHUNK = 4 * 1024 * 1024;

const frame = (record: JournalRecord): Buffer[] => {
  const header = Buffer.from(JSON.stringify(record.header), 'utf8');
  const blob = record.blob ?? [];
  let blobLength = 0;
  for (const part of blob) blobLength += part.length;
  const prefix = Buffer.allocUnsafe(FRAME);
  prefix.writeUInt32LE(header.length, 0);
  prefix.writeUInt32LE(blobLength, 4);
  return [prefix, header, ...blob];
};

const writeAll = (fd: number, parts: Buffer[]): number => {
  let written = 0;
  // writev takes at most IOV_MAX (1024 on Linux) buffers at a time.
  for (let start = 0; start < parts.length; start += 1024) {
    const batch = parts.slice(start, start + 1024);
    const expected = batch.reduce((sum, part) => sum + part.length, 0);
    const done = fs.writevSync(fd, batch);
    if (done < expected) {
      const rest = Buffer.concat(batch).subarray(done);
      for (let offset = 0; offset < rest.length; ) {
        offset += fs.writeSync(fd, rest, offset);
      }
    }
    written += expected;
  }
  return written;
};

/**
 * An append-only file of length-prefixed records. Appends are synchronous
 * writes, so an acknowledged change survives the process dying right
 * after; a record cut short by a crash is dropped when the file is opened.
 * Compaction writes a fresh file beside it and renames it into place.
 */
export class JournalFile {
  private fd: number;
  private bytes: number;

  private constructor(
    private readonly file: string,
    onTornTail: (offset: number, size: number) => void,
    replay: (record: ReadRecord) => void,
  ) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    this.fd = fs.openSync(file, fs.existsSync(file) ? 'r+' : 'w+');
    const size = fs.fstatSync(this.fd).size;
    this.bytes = this.read(size, replay);
    if (this.bytes < size) {
      onTornTail(this.bytes, size);
      fs.ftruncateSync(this.fd, this.bytes);
    }
  }

  /** Opens (or creates) the journal, handing each intact record to `replay`. */
  static open(
    file: string,
    replay: (record: ReadRecord) => void,
    onTornTail: (offset: number, size: number) => void,
  ): JournalFile {
    return new JournalFile(file, onTornTail, replay);
  }

  get size(): number {
    return this.bytes;
  }

  append(records: readonly JournalRecord[]): void {
    const parts = records.flatMap(frame);
    this.bytes += writeAll(this.fd, parts);
  }

  /** Replaces the whole journal with `records`, atomically. */
  rewrite(records: Iterable<JournalRecord>): void {
    const temporary = `${this.file}.compacting`;
    const fd = fs.openSync(temporary, 'w');
    let bytes = 0;
    try {
      let pending: Buffer[] = [];
      let pendingBytes = 0;
      for (const record of records) {
        for (const part of frame(record)) {
          pending.push(part);
          pendingBytes += part.length;
        }
        if (pendingBytes >= READ_CHUNK) {
          bytes += writeAll(fd, pending);
          pending = [];
          pendingBytes = 0;
        }
      }
      bytes += writeAll(fd, pending);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temporary, this.file);
    this.syncDirectory();
    fs.closeSync(this.fd);
    this.fd = fs.openSync(this.file, 'r+');
    this.bytes = bytes;
  }

  close(): void {
    fs.fsyncSync(this.fd);
    fs.closeSync(this.fd);
  }

  private syncDirectory(): void {
    const fd = fs.openSync(path.dirname(this.file), 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  }

  /** Reads records up to `size`; returns where the intact ones end. */
  private read(size: number, replay: (record: ReadRecord) => void): number {
    let buffer = Buffer.alloc(0);
    let bufferStart = 0;
    let offset = 0;
    const ensure = (end: number): boolean => {
      if (end > size) return false;
      if (end <= bufferStart + buffer.length) return true;
      const length = Math.max(end - offset, READ_CHUNK);
      const next = Buffer.allocUnsafe(Math.min(length, size - offset));
      fs.readSync(this.fd, next, 0, next.length, offset);
      buffer = next;
      bufferStart = offset;
      return true;
    };
    while (offset < size) {
      if (!ensure(offset + FRAME)) break;
      const at = offset - bufferStart;
      const headerLength = buffer.readUInt32LE(at);
      const blobLength = buffer.readUInt32LE(at + 4);
      const end = offset + FRAME + headerLength + blobLength;
      if (!ensure(end)) break;
      const start = offset + FRAME - bufferStart;
      let header: Record<string, unknown>;
      try {
        header = JSON.parse(buffer.toString('utf8', start, start + headerLength));
      } catch {
        break;
      }
      replay({ header, blob: buffer.subarray(start + headerLength, start + headerLength + blobLength) });
      offset = end;
    }
    return offset;
  }
}
