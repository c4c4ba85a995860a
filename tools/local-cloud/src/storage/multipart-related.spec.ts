import { randomBytes } from 'node:crypto';
import { multipartBoundary, readMultipartUpload } from './multipart-related';

const body = (
  boundary: string,
  metadata: string,
  media: Buffer,
  mediaType = 'text/csv',
) =>
  Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Type: application/json\r\n\r\n${metadata}\r\n--${boundary}\r\nContent-Type: ${mediaType}\r\n\r\n`,
    ),
    media,
    Buffer.from(`\r\n--${boundary}--`),
  ]);

async function* inPieces(data: Buffer, size: number) {
  for (let at = 0; at < data.length; at += size)
    yield data.subarray(at, at + size);
}

const read = async (data: Buffer, boundary: string, pieceSize: number) => {
  const media: Buffer[] = [];
  const result = await readMultipartUpload(
    inPieces(data, pieceSize),
    boundary,
    async (chunk) => {
      media.push(Buffer.from(chunk));
    },
    1024,
  );
  return { ...result, media: Buffer.concat(media) };
};

describe('readMultipartUpload', () => {
  const boundary = 'b1a2c3';

  it.each([1, 2, 7, 64, 100_000])(
    'splits metadata and media whatever the read size (%i bytes)',
    async (pieceSize) => {
      // Media that contains near-delimiters, CRLFs and the boundary text itself.
      const media = Buffer.concat([
        Buffer.from(`\r\n--${boundary.slice(0, 4)}\r\n${boundary}\r\n-`),
        randomBytes(3000),
        Buffer.from('\r\n--'),
      ]);
      const result = await read(
        body(boundary, '{"name":"a.csv"}', media),
        boundary,
        pieceSize,
      );
      expect(result.metadata).toBe('{"name":"a.csv"}');
      expect(result.mediaHeaders['content-type']).toBe('text/csv');
      expect(result.media.equals(media)).toBe(true);
    },
  );

  it('accepts an empty media part', async () => {
    const result = await read(
      body(boundary, '{}', Buffer.alloc(0)),
      boundary,
      5,
    );
    expect(result.media.length).toBe(0);
  });

  it('refuses a body cut before the closing boundary', async () => {
    const data = body(boundary, '{}', Buffer.from('abc'));
    await expect(
      read(data.subarray(0, data.length - 4), boundary, 10),
    ).rejects.toThrow(/ended early/);
  });

  it('refuses an oversized metadata part', async () => {
    await expect(
      read(body(boundary, 'x'.repeat(2000), Buffer.from('a')), boundary, 50),
    ).rejects.toThrow(/larger than 1024 bytes/);
  });

  it('reads the boundary from the content type, quoted or not', () => {
    expect(multipartBoundary('multipart/related; boundary=abc-123')).toBe(
      'abc-123',
    );
    expect(
      multipartBoundary('multipart/related; charset=x; boundary="a b"'),
    ).toBe('a b');
    expect(() => multipartBoundary('application/json')).toThrow(
      /multipart\/related/,
    );
  });
});
