import { FileKind } from '@event-pipeline/schema';
import { namesAdaptyEventColumn } from './adapty-columns';
import { parseCsvRecord } from './adapty-row-batch';
import { CsvRowSplitter } from './csv-row-splitter';

/** Bytes needed to tell a ZIP archive by its magic number. */
export const ZIP_MAGIC_LENGTH = 4;

/** `PK\x03\x04` opens a ZIP with entries, `PK\x05\x06` an empty one. */
export const isZipArchive = (head: Uint8Array): boolean =>
  head.length >= ZIP_MAGIC_LENGTH &&
  head[0] === 0x50 &&
  head[1] === 0x4b &&
  ((head[2] === 0x03 && head[3] === 0x04) ||
    (head[2] === 0x05 && head[3] === 0x06));

/** The first non-blank CSV line of some bytes, as text, or null when there is none within the limit. */
export const firstCsvLine = (
  head: Uint8Array,
  maxRowBytes: number,
): string | null => {
  let line: string | null = null;
  const splitter = new CsvRowSplitter(
    {
      row: (buf, start, end) => {
        line ??= buf.toString('utf8', start, end);
      },
      oversizedRow: () => undefined,
    },
    maxRowBytes,
  );
  splitter.push(Buffer.from(head.buffer, head.byteOffset, head.byteLength));
  splitter.end();
  return line;
};

/**
 * The kind of a file from its first bytes, by content alone: a ZIP archive is
 * a GA4 export; a CSV whose header names an Adapty event column (event_type,
 * Event_Name, event_name, in any case) is Adapty's; anything else is null.
 * The head must hold the whole header line for a CSV to be recognised.
 */
export const detectFileKind = (
  head: Uint8Array,
  maxRowBytes = head.byteLength,
): FileKind | null => {
  if (isZipArchive(head)) return 'ga4';
  const line = firstCsvLine(head, maxRowBytes);
  if (line === null) return null;
  const fields = parseCsvRecord(line);
  return typeof fields !== 'string' && namesAdaptyEventColumn(fields)
    ? 'adapty'
    : null;
};
