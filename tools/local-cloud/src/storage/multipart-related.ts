import { badRequest } from './api-error';

export interface MultipartUpload {
  /** The first part, the object resource as JSON text. */
  metadata: string;
  /** Headers of the second part, the media, lower-cased. */
  mediaHeaders: Record<string, string>;
}

const CRLF = Buffer.from('\r\n');
const HEADER_END = Buffer.from('\r\n\r\n');
const CLOSE = Buffer.from('--');
const MAX_HEADER_BYTES = 16 * 1024;

/** The boundary of a `multipart/related; boundary=...` content type. */
export const multipartBoundary = (contentType: string | undefined): string => {
  const match =
    /^multipart\/related\s*;(?:.*;)?\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(
      contentType ?? '',
    );
  if (!match) {
    throw badRequest(
      `A multipart upload needs Content-Type multipart/related with a boundary, found ${JSON.stringify(contentType)}.`,
    );
  }
  return match[1] ?? match[2];
};

const parseHeaders = (block: Buffer): Record<string, string> =>
  Object.fromEntries(
    block
      .toString('latin1')
      .split('\r\n')
      .filter((line) => line.includes(':'))
      .map((line) => {
        const at = line.indexOf(':');
        return [
          line.slice(0, at).trim().toLowerCase(),
          line.slice(at + 1).trim(),
        ];
      }),
  );

/**
 * Reads a `multipart/related` upload body: the metadata part is kept (it is
 * small, at most `maxMetadataBytes`), the media part is handed to
 * `writeMedia` piece by piece as it arrives, so memory stays flat whatever
 * the object's size.
 */
export const readMultipartUpload = async (
  body: AsyncIterable<Buffer>,
  boundary: string,
  writeMedia: (chunk: Buffer) => Promise<void>,
  maxMetadataBytes: number,
): Promise<MultipartUpload> => {
  const opening = Buffer.from(`--${boundary}`);
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  type State = 'preamble' | 'delimiter' | 'headers' | 'body' | 'done';
  let state = 'preamble' as State;
  let pending: Buffer = Buffer.alloc(0);
  let part = -1;
  const metadata: Buffer[] = [];
  let metadataBytes = 0;
  let mediaHeaders: Record<string, string> = {};

  const emit = async (data: Buffer) => {
    if (data.length === 0) return;
    if (part === 0) {
      metadataBytes += data.length;
      if (metadataBytes > maxMetadataBytes) {
        throw badRequest(
          `The metadata part is larger than ${maxMetadataBytes} bytes.`,
        );
      }
      metadata.push(data);
    } else {
      await writeMedia(data);
    }
  };

  // Consumes what `pending` holds; returns when it needs more input.
  const advance = async (): Promise<void> => {
    for (;;) {
      if (state === 'preamble') {
        const at = pending.indexOf(opening);
        if (at < 0) return;
        pending = pending.subarray(at + opening.length);
        state = 'delimiter';
      } else if (state === 'delimiter') {
        if (pending.length < 2) return;
        if (pending.subarray(0, 2).equals(CLOSE)) {
          state = 'done';
          return;
        }
        const at = pending.indexOf(CRLF);
        if (at < 0) return;
        pending = pending.subarray(at + CRLF.length);
        state = 'headers';
      } else if (state === 'headers') {
        let block: Buffer;
        if (pending.subarray(0, CRLF.length).equals(CRLF)) {
          block = Buffer.alloc(0);
          pending = pending.subarray(CRLF.length);
        } else {
          const at = pending.indexOf(HEADER_END);
          if (at < 0) {
            if (pending.length > MAX_HEADER_BYTES) {
              throw badRequest(
                'A part of the multipart upload has oversized headers.',
              );
            }
            return;
          }
          block = pending.subarray(0, at);
          pending = pending.subarray(at + HEADER_END.length);
        }
        part++;
        if (part > 1) {
          throw badRequest(
            'A multipart upload has exactly two parts: metadata, then media.',
          );
        }
        if (part === 1) mediaHeaders = parseHeaders(block);
        state = 'body';
      } else if (state === 'body') {
        const at = pending.indexOf(delimiter);
        if (at < 0) {
          // Keep a tail that could be the start of a delimiter split across reads.
          const safe = pending.length - (delimiter.length - 1);
          if (safe > 0) {
            await emit(pending.subarray(0, safe));
            pending = pending.subarray(safe);
          }
          return;
        }
        await emit(pending.subarray(0, at));
        pending = pending.subarray(at + delimiter.length);
        state = 'delimiter';
      } else {
        return;
      }
    }
  };

  for await (const chunk of body) {
    if (state === 'done') continue;
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    await advance();
  }
  if (state !== 'done' || part !== 1) {
    throw badRequest(
      'The multipart upload body ended early: expected a metadata part, a media part and a closing boundary.',
    );
  }
  return { metadata: Buffer.concat(metadata).toString('utf8'), mediaHeaders };
};
