import { badRequest, rangeNotSatisfiable } from './api-error';

/** Inclusive byte positions, as in `Content-Range`. */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * The single range of a `Range: bytes=...` header over an object of `size`
 * bytes: `a-b`, `a-` or the suffix form `-n`. No header, another unit, or
 * several ranges, or an empty object, mean the whole object (undefined).
 */
export const parseRange = (
  header: string | undefined,
  size: number,
): ByteRange | undefined => {
  const match = /^bytes=(\d*)-(\d*)$/.exec((header ?? '').trim());
  if (!match || (match[1] === '' && match[2] === '') || size === 0) {
    return undefined;
  }
  const [, first, last] = match;
  const range =
    first === ''
      ? { start: Math.max(size - Number(last), 0), end: size - 1 }
      : {
          start: Number(first),
          end: last === '' ? size - 1 : Math.min(Number(last), size - 1),
        };
  if (range.start > range.end || range.start >= size) {
    throw rangeNotSatisfiable(
      `The requested range ${header} cannot be satisfied for an object of ${size} bytes.`,
    );
  }
  return range;
};

// `Content-Range` of a resumable upload request. `bytes S-E/T` sends bytes
// S to E; an end of `*` sends from S to the end of the request; a range of
// `*` (no bytes) asks how far the upload got. T is `*` while the total is
// unknown.
export interface UploadRange {
  start?: number;
  end?: number;
  total?: number;
}

export const parseContentRange = (
  header: string | undefined,
): UploadRange | undefined => {
  if (header === undefined) return undefined;
  const match = /^bytes\s+(?:(\d+)-(\d+|\*)|\*)\/(\d+|\*)$/.exec(header.trim());
  if (!match) {
    throw badRequest(`Invalid Content-Range ${JSON.stringify(header)}.`);
  }
  const [, start, end, total] = match;
  const number = (value: string | undefined) =>
    value === undefined || value === '*' ? undefined : Number(value);
  return { start: number(start), end: number(end), total: number(total) };
};
