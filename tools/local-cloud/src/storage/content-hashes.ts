import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { badRequest } from './api-error';
import { crc32cToBase64, crc32cUpdate } from './crc32c';

/** What Cloud Storage reports about an object's bytes. */
export interface ContentHashes {
  size: number;
  /** Base64 of the MD5 digest. */
  md5Hash: string;
  /** Base64 of the big-endian CRC-32C. */
  crc32c: string;
}

export class ContentHasher {
  private readonly md5: Hash = createHash('md5');
  private crc = 0;
  private size = 0;

  update(chunk: Buffer): void {
    this.md5.update(chunk);
    this.crc = crc32cUpdate(this.crc, chunk);
    this.size += chunk.length;
  }

  digest(): ContentHashes {
    return {
      size: this.size,
      md5Hash: this.md5.digest('base64'),
      crc32c: crc32cToBase64(this.crc),
    };
  }
}

export const hashFile = async (path: string): Promise<ContentHashes> => {
  const hasher = new ContentHasher();
  for await (const chunk of createReadStream(path, {
    highWaterMark: 1024 * 1024,
  })) {
    hasher.update(chunk as Buffer);
  }
  return hasher.digest();
};

/**
 * Checks the hashes a client declared (`X-Goog-Hash: crc32c=...,md5=...`
 * or `crc32c`/`md5Hash` in the metadata) against what arrived.
 */
export const assertDeclaredHashes = (
  declared: { crc32c?: string; md5Hash?: string },
  actual: ContentHashes,
): void => {
  if (declared.crc32c !== undefined && declared.crc32c !== actual.crc32c) {
    throw badRequest(
      `Provided CRC32C "${declared.crc32c}" doesn't match calculated CRC32C "${actual.crc32c}".`,
    );
  }
  if (declared.md5Hash !== undefined && declared.md5Hash !== actual.md5Hash) {
    throw badRequest(
      `Provided MD5 hash "${declared.md5Hash}" doesn't match calculated MD5 hash "${actual.md5Hash}".`,
    );
  }
};

/** Parses `X-Goog-Hash: crc32c=...,md5=...`. */
export const parseGoogHash = (
  header: string | string[] | undefined,
): { crc32c?: string; md5Hash?: string } => {
  const declared: { crc32c?: string; md5Hash?: string } = {};
  const values = Array.isArray(header) ? header : header ? [header] : [];
  for (const pair of values.flatMap((value) => value.split(','))) {
    const at = pair.indexOf('=');
    const key = pair.slice(0, at).trim().toLowerCase();
    const value = pair.slice(at + 1).trim();
    if (key === 'crc32c') declared.crc32c = value;
    if (key === 'md5') declared.md5Hash = value;
  }
  return declared;
};
