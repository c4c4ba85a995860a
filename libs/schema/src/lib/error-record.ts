/**
 * Error codes of every record the pipeline can archive. Grouped by the scope
 * the record is counted under in the file accounting.
 */
export const FILE_ERROR_CODES = [
  'UNKNOWN_FORMAT',
  'EMPTY_FILE',
  'MISSING_COLUMNS',
  'CORRUPT_ZIP',
  'NO_EVENT_ENTRIES',
  'ARCHIVE_TOO_LARGE',
  'FILE_UNREADABLE',
] as const;

export const ENTRY_ERROR_CODES = [
  'UNSUPPORTED_ENTRY',
  'ENTRY_TOO_LARGE',
  'COMPRESSION_RATIO_EXCEEDED',
  'TRUNCATED_JSON',
  'MALFORMED_JSON',
  'CORRUPT_ENTRY',
] as const;

export const ROW_ERROR_CODES = [
  'INVALID_JSON',
  'ELEMENT_TOO_LARGE',
  'ROW_TOO_LARGE',
  'MALFORMED_ROW',
  'MISSING_FIELD',
  'INVALID_FIELD',
  'INVALID_DATETIME',
  'INVALID_DECIMAL',
  'ROW_REJECTED',
] as const;

export const MESSAGE_ERROR_CODES = [
  'INVALID_MESSAGE',
  'DEAD_LETTERED',
] as const;

export type FileErrorCode = (typeof FILE_ERROR_CODES)[number];
export type EntryErrorCode = (typeof ENTRY_ERROR_CODES)[number];
export type RowErrorCode = (typeof ROW_ERROR_CODES)[number];
export type MessageErrorCode = (typeof MESSAGE_ERROR_CODES)[number];
export type ErrorCode =
  | FileErrorCode
  | EntryErrorCode
  | RowErrorCode
  | MessageErrorCode;

export type ErrorScope = 'file' | 'entry' | 'row' | 'message';

const SCOPE_BY_CODE: ReadonlyMap<ErrorCode, ErrorScope> = new Map<
  ErrorCode,
  ErrorScope
>([
  ...FILE_ERROR_CODES.map((code) => [code, 'file'] as const),
  ...ENTRY_ERROR_CODES.map((code) => [code, 'entry'] as const),
  ...ROW_ERROR_CODES.map((code) => [code, 'row'] as const),
  ...MESSAGE_ERROR_CODES.map((code) => [code, 'message'] as const),
]);

export const ERROR_CODES: readonly ErrorCode[] = [...SCOPE_BY_CODE.keys()];

export const scopeOfErrorCode = (code: ErrorCode): ErrorScope => {
  const scope = SCOPE_BY_CODE.get(code);
  if (!scope) throw new Error(`Unknown error code ${code}`);
  return scope;
};

/**
 * Where in a source file an error record points. CSV rows have a line (the
 * physical line the row starts on, 1 = header); ZIP entries have the entry
 * name and, for an element, its 0-based index in the entry (and the line for
 * NDJSON). A file-level record has neither.
 */
export interface ErrorLocation {
  line?: number;
  entry?: string;
  index?: number;
}

/** Raw records are cut to this many bytes of UTF-8 in an error record. */
export const ERROR_RAW_MAX_BYTES = 4096;

export interface ErrorRecord {
  /** gs://bucket/object#generation */
  source_file: string;
  scope: ErrorScope;
  location: ErrorLocation;
  code: ErrorCode;
  /** What was expected and what was found, for a person to act on. */
  message: string;
  /** The offending record, cut to ERROR_RAW_MAX_BYTES, or null. */
  raw: string | null;
  /** ISO-8601 time the error was found. */
  occurred_at: string;
}

/** Cuts a string to at most `maxBytes` bytes of UTF-8 without splitting a character. */
export const truncateUtf8 = (
  text: string,
  maxBytes = ERROR_RAW_MAX_BYTES,
): string => {
  if (text.length * 3 <= maxBytes) return text;
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= maxBytes) return text;
  let end = maxBytes;
  // Step back over UTF-8 continuation bytes (10xxxxxx) to a character start.
  while (end > 0 && (bytes[end] & 0xc0) === 0x80) end--;
  return bytes.subarray(0, end).toString('utf8');
};

export const errorRecord = (
  fields: Omit<ErrorRecord, 'scope' | 'raw' | 'occurred_at'> & {
    raw?: string | null;
    occurred_at?: string;
  },
): ErrorRecord => ({
  source_file: fields.source_file,
  scope: scopeOfErrorCode(fields.code),
  location: fields.location,
  code: fields.code,
  message: fields.message,
  raw: fields.raw == null ? null : truncateUtf8(fields.raw),
  occurred_at: fields.occurred_at ?? new Date().toISOString(),
});
