import { createHash, randomBytes } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Bucket } from '@google-cloud/storage';
import { crc32c, crc32cToBase64 } from '../../src/storage/crc32c';
import {
  captureLog,
  startStorageTestEnv,
  type StorageTestEnv,
} from './storage-test-env';

const MiB = 1024 * 1024;

/** Pseudo-random bytes, generated as they are read: never held whole. */
const generated = (size: number) => {
  const block = randomBytes(MiB);
  let sent = 0;
  return new Readable({
    read() {
      if (sent >= size) {
        this.push(null);
        return;
      }
      const piece = block.subarray(0, Math.min(MiB, size - sent));
      sent += piece.length;
      this.push(piece);
    },
  });
};

/** Passes bytes through while hashing them, to know what was sent. */
const hashingTap = () => {
  const md5 = createHash('md5');
  const tap = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      md5.update(chunk);
      done(null, chunk);
    },
  });
  return { tap, digest: () => md5.digest('base64') };
};

/** Counts bytes and hashes a stream without keeping it. */
const digestOf = async (source: NodeJS.ReadableStream) => {
  const { tap, digest } = hashingTap();
  let size = 0;
  tap.on('data', (chunk: Buffer) => (size += chunk.length));
  await pipeline(source, tap);
  return { size, md5: digest() };
};

// Garbage buffers wait for a full collection, which comes late when the
// JavaScript heap itself hardly grows: collecting before each sample
// measures what is actually held.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/**
 * The most memory held by buffers while `work` runs, above where it
 * started, sampled every 400 ms (a full collection takes a while).
 */
const peakBufferGrowth = async (work: () => Promise<unknown>) => {
  collectGarbage();
  const base = process.memoryUsage().arrayBuffers;
  let peak = base;
  let samples = 0;
  const sampler = setInterval(() => {
    collectGarbage();
    peak = Math.max(peak, process.memoryUsage().arrayBuffers);
    samples++;
  }, 400);
  try {
    await work();
  } finally {
    clearInterval(sampler);
  }
  return { growth: peak - base, samples };
};

describe('Cloud Storage emulator: objects', () => {
  let env: StorageTestEnv;
  let bucket: Bucket;
  const log = captureLog();

  beforeAll(async () => {
    env = await startStorageTestEnv({ logger: log.logger });
    bucket = await env.newBucket('objects');
  });
  afterAll(() => env.stop());

  it.each([
    ['multipart', false],
    ['resumable', true],
  ])(
    'uploads a small object (%s) and reads it back with its metadata',
    async (_kind, resumable) => {
      const file = bucket.file(`small/${_kind}.csv`);
      const content = 'event_type,user\ntrial_started,u1\n';
      await file.save(content, {
        resumable,
        contentType: 'text/csv',
        metadata: { metadata: { source: 'adapty' }, cacheControl: 'no-cache' },
      });
      const [metadata] = await file.getMetadata();
      expect(metadata).toMatchObject({
        kind: 'storage#object',
        name: `small/${_kind}.csv`,
        bucket: bucket.name,
        contentType: 'text/csv',
        size: String(Buffer.byteLength(content)),
        md5Hash: createHash('md5').update(content).digest('base64'),
        crc32c: crc32cToBase64(crc32c(Buffer.from(content))),
        metageneration: '1',
        metadata: { source: 'adapty' },
        cacheControl: 'no-cache',
      });
      expect(metadata.generation).toMatch(/^\d+$/);
      const [downloaded] = await file.download({ validation: 'md5' });
      expect(downloaded.toString()).toBe(content);
    },
  );

  it('uploads with uploadType=media', async () => {
    const url = `${env.emulator.url}/upload/storage/v1/b/${bucket.name}/o?uploadType=media&name=${encodeURIComponent('media/raw.bin')}`;
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/octet-stream' },
      body: Buffer.from([1, 2, 3]),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      name: 'media/raw.bin',
      size: '3',
    });
    expect((await bucket.file('media/raw.bin').download())[0]).toEqual(
      Buffer.from([1, 2, 3]),
    );
  });

  it('refuses an upload whose declared checksum does not match, with 400', async () => {
    const url = `${env.emulator.url}/upload/storage/v1/b/${bucket.name}/o?uploadType=media&name=corrupt.bin`;
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'X-Goog-Hash': `crc32c=${crc32cToBase64(crc32c(Buffer.from('other')))}`,
      },
      body: Buffer.from('sent'),
    });
    expect(response.status).toBe(400);
    expect((await bucket.file('corrupt.bin').exists())[0]).toBe(false);
  });

  it('uploads an empty object', async () => {
    await bucket.file('empty').save('', { resumable: false });
    const [downloaded] = await bucket.file('empty').download();
    expect(downloaded.length).toBe(0);
  });

  it('sends x-goog-hash, x-goog-generation and the stored encoding with media', async () => {
    const content = Buffer.from('hash me');
    const file = bucket.file('hashed.txt');
    await file.save(content, { resumable: false });
    const [metadata] = await file.getMetadata();
    const response = await fetch(
      `${env.emulator.url}/storage/v1/b/${bucket.name}/o/hashed.txt?alt=media`,
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('x-goog-hash')).toBe(
      `crc32c=${crc32cToBase64(crc32c(content))},md5=${createHash('md5').update(content).digest('base64')}`,
    );
    expect(response.headers.get('x-goog-generation')).toBe(metadata.generation);
    expect(response.headers.get('x-goog-stored-content-encoding')).toBe(
      'identity',
    );
    expect(response.headers.get('content-length')).toBe(String(content.length));
    expect(Buffer.from(await response.arrayBuffer())).toEqual(content);
  });

  it('keeps gzip-encoded uploads as sent, for the client to validate and decompress', async () => {
    const text = 'event_name,user_id\nfirst_open,u1\n'.repeat(500);
    const file = bucket.file('compressed.csv');
    await file.save(text, { gzip: true, resumable: false });
    const [metadata] = await file.getMetadata();
    expect(metadata.contentEncoding).toBe('gzip');
    expect(Number(metadata.size)).toBeLessThan(text.length / 10);
    expect((await file.download())[0].toString()).toBe(text);
  });

  it('serves ranges with 206 and Content-Range, and 416 past the end', async () => {
    const content = Buffer.from('0123456789abcdef');
    const file = bucket.file('ranged.txt');
    await file.save(content, { resumable: false });
    expect((await file.download({ start: 2, end: 5 }))[0].toString()).toBe(
      '2345',
    );
    expect((await file.download({ start: 10 }))[0].toString()).toBe('abcdef');
    expect((await file.download({ end: -3 }))[0].toString()).toBe('def');

    const url = `${env.emulator.url}/download/storage/v1/b/${bucket.name}/o/ranged.txt?alt=media`;
    const partial = await fetch(url, { headers: { Range: 'bytes=4-7' } });
    expect(partial.status).toBe(206);
    expect(partial.headers.get('content-range')).toBe('bytes 4-7/16');
    expect(await partial.text()).toBe('4567');
    expect((await fetch(url, { headers: { Range: 'bytes=16-' } })).status).toBe(
      416,
    );
  });

  it('lets the client catch bytes that do not match x-goog-hash', async () => {
    const file = bucket.file('tampered.txt');
    await file.save('original', { resumable: false });
    // Record the checksums of other bytes, as a corrupted copy would look.
    await env.emulator.stop();
    const records = join(env.dataDir, 'storage-state', 'objects', bucket.name);
    for (const entry of await readdir(records)) {
      const record = JSON.parse(await readFile(join(records, entry), 'utf8'));
      if (record.name !== 'tampered.txt') continue;
      const other = Buffer.from('ORIGINAL');
      record.md5Hash = createHash('md5').update(other).digest('base64');
      record.crc32c = crc32cToBase64(crc32c(other));
      await writeFile(join(records, entry), JSON.stringify(record));
    }
    await env.restart();
    await expect(file.download()).rejects.toMatchObject({
      code: 'CONTENT_DOWNLOAD_MISMATCH',
    });
    await expect(file.download({ validation: 'md5' })).rejects.toMatchObject({
      code: 'CONTENT_DOWNLOAD_MISMATCH',
    });
    expect((await file.download({ validation: false }))[0].toString()).toBe(
      'original',
    );
  });

  it('patches metadata: merges keys, removes nulls, bumps the metageneration', async () => {
    const file = bucket.file('patched.txt');
    await file.save('x', {
      resumable: false,
      metadata: { metadata: { a: '1', b: '2' } },
    });
    const [patched] = await file.setMetadata({
      contentType: 'text/plain',
      metadata: { b: null, c: '3' },
    });
    expect(patched).toMatchObject({
      contentType: 'text/plain',
      metadata: { a: '1', c: '3' },
      metageneration: '2',
    });
    expect(patched.metadata).not.toHaveProperty('b');
  });

  it('deletes objects, and answers 404 afterwards', async () => {
    const file = bucket.file('doomed.txt');
    await file.save('x', { resumable: false });
    await file.delete();
    expect((await file.exists())[0]).toBe(false);
    await expect(file.download()).rejects.toMatchObject({ code: 404 });
    await expect(file.delete()).rejects.toMatchObject({ code: 404 });
  });

  it('refuses names that cannot be files with 400', async () => {
    await expect(
      bucket.file('folder/').save('x', { resumable: false }),
    ).rejects.toMatchObject({
      code: 400,
    });
    await expect(
      bucket.file('a/../b').save('x', { resumable: false }),
    ).rejects.toMatchObject({
      code: 400,
    });
  });

  it('keeps names with spaces, unicode and percent signs', async () => {
    const name = 'odd names/ünï cødé 100% #1?.txt';
    await bucket.file(name).save('odd', { resumable: false });
    expect((await bucket.file(name).download())[0].toString()).toBe('odd');
    const [files] = await bucket.getFiles({ prefix: 'odd names/' });
    expect(files.map((f) => f.name)).toEqual([name]);
  });

  it('resumes a chunked upload across requests (308 with Range)', async () => {
    const file = bucket.file('chunked.bin');
    const size = 3 * 256 * 1024 + 1000;
    const { tap, digest } = hashingTap();
    log.lines.length = 0;
    await pipeline(
      generated(size),
      tap,
      file.createWriteStream({ resumable: true, chunkSize: 256 * 1024 }),
    );
    const [metadata] = await file.getMetadata();
    expect(metadata).toMatchObject({ size: String(size), md5Hash: digest() });
    const incomplete = log.lines.filter((line) =>
      /PUT \/upload\/.* status=308/.test(line),
    );
    expect(incomplete).toHaveLength(3);
  });

  describe('large objects', () => {
    const size = 96 * MiB;

    it.each([
      ['resumable', true],
      ['multipart', false],
    ])(
      'streams a %s upload and a validated download of 96 MiB with flat memory',
      async (_kind, resumable) => {
        const file = bucket.file(`large/${_kind}.bin`);
        const { tap, digest } = hashingTap();
        const uploadGrowth = await peakBufferGrowth(() =>
          pipeline(
            generated(size),
            tap,
            file.createWriteStream({ resumable, validation: 'crc32c' }),
          ),
        );
        const md5 = digest();
        const [metadata] = await file.getMetadata();
        expect(metadata).toMatchObject({ size: String(size), md5Hash: md5 });

        let received = { size: 0, md5: '' };
        const downloadGrowth = await peakBufferGrowth(async () => {
          received = await digestOf(
            file.createReadStream({ validation: 'crc32c' }),
          );
        });
        expect(received).toEqual({ size, md5 });
        for (const memory of [uploadGrowth, downloadGrowth]) {
          expect(memory.samples).toBeGreaterThanOrEqual(2);
          // Node's HTTP and file layers hold about 12 MiB per side in flight.
          expect(memory.growth).toBeLessThan(size / 2);
        }
      },
      60_000,
    );
  });
});
