/** The contract's limits on hostile input. Each is configurable per run. */
export interface ParseLimits {
  /** Uncompressed bytes per ZIP entry. */
  maxEntryBytes: number;
  /** Uncompressed to compressed size, per ZIP entry. */
  maxCompressionRatio: number;
  /** Bytes per JSON element (one GA4 event). */
  maxElementBytes: number;
  /** Bytes per CSV row. */
  maxRowBytes: number;
  /** Compressed bytes of a whole ZIP archive, which is held in memory. */
  maxArchiveBytes: number;
}

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

export const DEFAULT_PARSE_LIMITS: Readonly<ParseLimits> = Object.freeze({
  maxEntryBytes: 4 * GiB,
  maxCompressionRatio: 200,
  maxElementBytes: 16 * MiB,
  maxRowBytes: 1 * MiB,
  maxArchiveBytes: 2 * GiB,
});
