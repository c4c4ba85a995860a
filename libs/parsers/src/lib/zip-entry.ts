import type JSZip from 'jszip';

export type ZipEntryKind = 'events' | 'junk' | 'unsupported';

const EVENT_ENTRY = /\.(?:json|ndjson|jsonl)$/i;

/**
 * What a ZIP entry is to a GA4 export: events to load, junk to pass over
 * silently (folders, macOS resource forks and Finder files), or anything
 * else, which gets an error record of its own.
 */
export const classifyZipEntry = (name: string, dir: boolean): ZipEntryKind => {
  const segments = name.split('/');
  const base = segments[segments.length - 1];
  if (
    dir ||
    base === '' ||
    segments.includes('__MACOSX') ||
    base.startsWith('._') ||
    base === '.DS_Store'
  ) {
    return 'junk';
  }
  return EVENT_ENTRY.test(base) ? 'events' : 'unsupported';
};

/** What the archive's central directory says of an entry. */
export interface ZipEntryFacts {
  compressedSize: number;
  crc32: number;
}

/**
 * The central directory fields of a loaded entry. JSZip keeps them only on
 * its internal `_data`; they are needed to bound the compression ratio and to
 * check the CRC-32 while streaming, which JSZip does not do. JSZip drops them
 * for an empty entry, whose facts are all zero.
 */
export const zipEntryFacts = (file: JSZip.JSZipObject): ZipEntryFacts => {
  const data = (file as unknown as { _data?: Partial<ZipEntryFacts> })._data;
  return {
    compressedSize: data?.compressedSize ?? 0,
    crc32: data?.crc32 ?? 0,
  };
};

/** A 32-bit field's value when it has been read as a signed integer. */
const unsigned32 = (value: number): number =>
  value < 0 ? value + 2 ** 32 : value;

/**
 * JSZip reads the central directory's 32-bit sizes as signed integers, so
 * an entry of 2 GiB or more (the contract allows 4 GiB) comes out with a
 * negative size, and JSZip's own length check at the end of the entry then
 * fails a sound entry ("uncompressed data size mismatch"). The sizes are
 * unsigned in the format; this reads them back as such, on the loaded
 * entry JSZip checks against. ZIP64 sizes, already applied, are positive.
 */
export const fixZipEntrySizes = (file: JSZip.JSZipObject): void => {
  const data = (
    file as unknown as {
      _data?: { compressedSize?: unknown; uncompressedSize?: unknown };
    }
  )._data;
  if (typeof data?.compressedSize === 'number') {
    data.compressedSize = unsigned32(data.compressedSize);
  }
  if (typeof data?.uncompressedSize === 'number') {
    data.uncompressedSize = unsigned32(data.uncompressedSize);
  }
};
