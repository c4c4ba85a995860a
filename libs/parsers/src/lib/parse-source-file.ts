import { parseAdaptyCsv } from './adapty-csv.parser';
import { ByteInput, ByteReader } from './byte-source';
import { isZipArchive, ZIP_MAGIC_LENGTH } from './file-kind';
import { parseGa4Zip } from './ga4-zip.parser';
import { parseContext, ParseSourceFileOptions } from './parse-options';
import { ParsedChunk } from './parsed-chunk';

/**
 * Parses one source file, whatever its kind, into chunks of unified events,
 * profile changes and error records. The kind is told by content: ZIP magic
 * bytes mean a GA4 export, a CSV header naming an Adapty event column means
 * an Adapty export, anything else gets one file-scope error record.
 *
 * The consumer pulls: nothing more is read from `input` until the next chunk
 * is asked for, so backpressure holds and memory stays flat. Stopping early
 * (leaving a `for await`) releases the input. An error of the input stream
 * itself is thrown, not recorded: a failed download is worth retrying.
 */
export async function* parseSourceFile(
  input: ByteInput,
  options: ParseSourceFileOptions,
): AsyncGenerator<ParsedChunk> {
  const context = parseContext(options);
  const reader = new ByteReader(input);
  try {
    const head = await reader.peek(ZIP_MAGIC_LENGTH);
    yield* isZipArchive(head)
      ? parseGa4Zip(reader.chunks(), context)
      : parseAdaptyCsv(reader.chunks(), context);
  } finally {
    await reader.close();
  }
}
