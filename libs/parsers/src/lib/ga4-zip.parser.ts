import { crc32 } from 'node:zlib';
import JSZip from 'jszip';
import { ErrorCode } from '@event-pipeline/schema';
import { asAsyncIterable } from './byte-source';
import { JsonBatchBuilder } from './json-element-batch';
import { JsonSplitter } from './json-splitter';
import { ParseContext } from './parse-options';
import { ChunkBuilder } from './chunk-builder';
import { ParsedChunk } from './parsed-chunk';
import { TaskQueue } from './task-queue';
import { classifyZipEntry, fixZipEntrySizes, zipEntryFacts } from './zip-entry';

const fileFailure = (
  context: ParseContext,
  code: ErrorCode,
  message: string,
): ParsedChunk => {
  const chunk = new ChunkBuilder('ga4', context.sourceFile);
  chunk.addError(code, {}, message);
  return chunk.finish();
};

/**
 * The whole archive (JSZip needs it at once), or how far it got past the
 * limit. With the size known, the bytes go straight into one buffer.
 */
const readArchive = async (
  chunks: AsyncIterable<Buffer>,
  maxBytes: number,
  expectedSize: number | null,
): Promise<Buffer | { tooLarge: number }> => {
  const whole =
    expectedSize !== null && expectedSize <= maxBytes
      ? Buffer.allocUnsafe(expectedSize)
      : null;
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of chunks) {
    if (size + chunk.length > maxBytes) {
      return { tooLarge: size + chunk.length };
    }
    if (whole !== null && size + chunk.length <= whole.length) {
      chunk.copy(whole, size);
    } else {
      if (whole !== null && parts.length === 0)
        parts.push(whole.subarray(0, size));
      parts.push(chunk);
    }
    size += chunk.length;
  }
  if (whole !== null && parts.length === 0) return whole.subarray(0, size);
  return Buffer.concat(parts, size);
};

const errorMessage = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);

/**
 * A GA4 export ZIP. The archive is read into memory, bounded by
 * maxArchiveBytes; then each event entry is inflated as a stream into the
 * JSON splitter and parsed element by element, so memory stays flat however
 * large the entries are.
 */
export async function* parseGa4Zip(
  chunks: AsyncIterable<Buffer>,
  context: ParseContext,
): AsyncGenerator<ParsedChunk> {
  const { maxArchiveBytes } = context.limits;
  const archive = await readArchive(chunks, maxArchiveBytes, context.size);
  if (!Buffer.isBuffer(archive)) {
    yield fileFailure(
      context,
      'ARCHIVE_TOO_LARGE',
      `expected a ZIP archive of at most ${maxArchiveBytes} bytes (maxArchiveBytes), found more than ${archive.tooLarge}; split the export or raise the limit`,
    );
    return;
  }
  let zip: JSZip;
  try {
    zip = await JSZip.loadAsync(archive, { checkCRC32: false });
  } catch (error) {
    yield fileFailure(
      context,
      'CORRUPT_ZIP',
      `expected a readable ZIP archive, found one that cannot be read (corrupt or truncated): ${errorMessage(error)}`,
    );
    return;
  }

  const files = Object.values(zip.files);
  const eventEntries = files.filter(
    (file) => classifyZipEntry(file.name, file.dir) === 'events',
  );
  const unsupported = files.filter(
    (file) => classifyZipEntry(file.name, file.dir) === 'unsupported',
  );
  if (eventEntries.length === 0) {
    const found =
      unsupported.length === 0
        ? 'none (the archive is empty or holds only folders and junk)'
        : `only ${unsupported.map((file) => file.name).join(', ')}`;
    yield fileFailure(
      context,
      'NO_EVENT_ENTRIES',
      `expected at least one .json, .ndjson or .jsonl entry of GA4 events, found ${found}`,
    );
    return;
  }
  if (unsupported.length > 0) {
    const chunk = new ChunkBuilder('ga4', context.sourceFile);
    for (const file of unsupported) {
      chunk.addError(
        'UNSUPPORTED_ENTRY',
        { entry: file.name },
        'expected a .json, .ndjson or .jsonl entry of GA4 events; the entry was not read',
      );
    }
    yield chunk.finish();
  }
  for (const file of eventEntries) yield* parseGa4Entry(file, context);
}

/**
 * One event entry, streamed. Limits are checked on the bytes actually
 * inflated, never on sizes the archive claims; on a limit or a break, the
 * elements read before it are kept and one entry record marks the spot.
 */
async function* parseGa4Entry(
  file: JSZip.JSZipObject,
  context: ParseContext,
): AsyncGenerator<ParsedChunk> {
  const { limits, sourceFile } = context;
  const entry = file.name;
  fixZipEntrySizes(file);
  const facts = zipEntryFacts(file);
  const batches = new JsonBatchBuilder(context.chunkRows);
  const splitter = new JsonSplitter(batches, limits.maxElementBytes);
  const entryErrors = new ChunkBuilder('ga4', sourceFile);
  const tasks = new TaskQueue(context);
  const startBatches = () => {
    for (const batch of batches.take()) {
      tasks.add({ kind: 'ga4', batch, entry, sourceFile });
    }
  };
  const breakAt = (code: ErrorCode, message: string) => {
    const line = splitter.elementLine;
    const index = splitter.elementIndex;
    entryErrors.addError(
      code,
      line > 0 ? { entry, index, line } : { entry, index },
      message,
    );
  };
  const ratioBytes = limits.maxCompressionRatio * facts.compressedSize;
  const allowed = Math.min(limits.maxEntryBytes, ratioBytes);

  let inflated = 0;
  let checksum = 0;
  let complete = true;
  let ended = false;
  const stream = asAsyncIterable(file.nodeStream('nodebuffer'))[
    Symbol.asyncIterator
  ]();
  try {
    for (;;) {
      // Only the inflating stream's own failures are the entry's; a failing
      // parse task is thrown on, like any fault of this process.
      let next: IteratorResult<Uint8Array | string>;
      try {
        next = await stream.next();
      } catch (error) {
        breakAt(
          'CORRUPT_ENTRY',
          `expected a readable compressed entry, found data that fails to inflate after ${inflated} bytes: ${errorMessage(error)}`,
        );
        complete = false;
        break;
      }
      if (next.done) {
        ended = true;
        break;
      }
      const chunk = next.value as Buffer;
      inflated += chunk.length;
      if (inflated > allowed) {
        splitter.push(chunk.subarray(0, chunk.length - (inflated - allowed)));
        if (allowed === limits.maxEntryBytes) {
          breakAt(
            'ENTRY_TOO_LARGE',
            `expected an entry of at most ${limits.maxEntryBytes} uncompressed bytes (maxEntryBytes), found more; reading stopped there`,
          );
        } else {
          breakAt(
            'COMPRESSION_RATIO_EXCEEDED',
            `expected at most ${limits.maxCompressionRatio} uncompressed bytes per compressed byte (maxCompressionRatio), found more than ${allowed} bytes inflated from ${facts.compressedSize}; reading stopped there`,
          );
        }
        complete = false;
        break;
      }
      checksum = crc32(chunk, checksum);
      splitter.push(chunk);
      startBatches();
      yield* tasks.take();
    }
  } finally {
    if (!ended) await stream.return?.();
  }
  if (complete) {
    splitter.end();
    if (checksum !== facts.crc32 >>> 0) {
      breakAt(
        'CORRUPT_ENTRY',
        `expected the CRC-32 the archive records (${(facts.crc32 >>> 0).toString(16)}), found ${checksum.toString(16)}: the entry's data is corrupt, so the events read from it may be wrong`,
      );
    }
  }
  batches.flush();
  startBatches();
  yield* tasks.take(true);
  // After a break, what the splitter makes of the broken data is noise:
  // the break is the one record of the entry.
  const problems = entryErrors.errorCount === 0 ? splitter.takeProblems() : [];
  for (const problem of problems) {
    entryErrors.addError(
      problem.code,
      problem.line > 0
        ? { entry, index: problem.index, line: problem.line }
        : { entry, index: problem.index },
      problem.message,
    );
  }
  if (entryErrors.errorCount > 0) yield entryErrors.finish();
}
