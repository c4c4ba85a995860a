import { randomUUID } from 'node:crypto';
import { mkdir, open, readFile, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { badRequest, notFound } from './api-error';
import type { DataLayout } from './data-layout';
import { KeyedLock } from './keyed-lock';
import type { ObjectAttributes, ObjectRecord } from './object-record';
import type { Preconditions } from './preconditions';
import { writeFileAtomic } from './staged-file';

export interface ResumableUpload {
  id: string;
  bucket: string;
  name: string;
  attributes: ObjectAttributes;
  preconditions: Preconditions;
  /** From `X-Upload-Content-Length`, when the client gave it. */
  declaredSize?: number;
  createdAt: string;
  /** Set once the object is written, so that a repeated final request gets it back. */
  result?: ObjectRecord;
}

/** Google keeps an unfinished resumable upload for a week. */
const UPLOAD_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;

const UPLOAD_ID =
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Resumable uploads in progress: each one's record as JSON and the bytes
 * received so far in a `.part` file beside it, both on disk, so that an
 * upload survives a restart of the emulator. Requests on one upload run one
 * at a time.
 */
export class ResumableUploads {
  private readonly lock = new KeyedLock();

  constructor(private readonly layout: DataLayout) {}

  partPath(id: string): string {
    return join(this.layout.uploadsDir, `${id}.part`);
  }

  async create(
    fields: Omit<ResumableUpload, 'id' | 'createdAt'>,
  ): Promise<ResumableUpload> {
    const upload: ResumableUpload = {
      ...fields,
      id: randomUUID(),
      createdAt: new Date().toISOString(),
    };
    await mkdir(this.layout.uploadsDir, { recursive: true });
    await (await open(this.partPath(upload.id), 'wx')).close();
    await this.save(upload);
    return upload;
  }

  /** Runs `work` with exclusive use of the upload. */
  async use<T>(
    id: string | null,
    work: (upload: ResumableUpload) => Promise<T>,
  ): Promise<T> {
    if (id === null || !UPLOAD_ID.test(id)) {
      throw badRequest(`Invalid or missing upload_id ${JSON.stringify(id)}.`);
    }
    return this.lock.run(id, async () => work(await this.load(id)));
  }

  async received(id: string): Promise<number> {
    return (await stat(this.partPath(id))).size;
  }

  /**
   * Appends a request body, dropping its first `skip` bytes (the client
   * resent bytes already held) and keeping at most `limit` after them.
   * Bytes that arrived before a broken connection stay. Returns the new
   * number of bytes received.
   */
  async append(
    id: string,
    body: AsyncIterable<Buffer>,
    skip: number,
    limit = Infinity,
  ): Promise<number> {
    const handle = await open(this.partPath(id), 'a');
    let toSkip = skip;
    let room = limit;
    try {
      for await (const chunk of body) {
        const start = Math.min(toSkip, chunk.length);
        toSkip -= start;
        const data = chunk.subarray(
          start,
          start + Math.min(room, chunk.length - start),
        );
        room -= data.length;
        let offset = 0;
        while (offset < data.length) {
          offset += (await handle.write(data, offset)).bytesWritten;
        }
      }
    } finally {
      await handle.sync().catch(() => undefined);
      await handle.close();
    }
    return this.received(id);
  }

  /** Records the object written from the upload; the `.part` file has moved into place. */
  async complete(upload: ResumableUpload, result: ObjectRecord): Promise<void> {
    await this.save({ ...upload, result });
  }

  async cancel(id: string): Promise<void> {
    await rm(this.partPath(id), { force: true });
    await rm(this.recordPath(id), { force: true });
  }

  /** Forgets uploads older than Google would keep them. */
  async removeExpired(now = Date.now()): Promise<void> {
    const files = await readdir(this.layout.uploadsDir).catch(() => []);
    await Promise.all(
      files
        .filter((file) => file.endsWith('.json'))
        .map(async (file) => {
          const id = file.slice(0, -'.json'.length);
          const upload = await this.load(id).catch(() => undefined);
          if (
            !upload ||
            now - Date.parse(upload.createdAt) > UPLOAD_LIFETIME_MS
          ) {
            await this.cancel(id);
          }
        }),
    );
  }

  private recordPath(id: string): string {
    return join(this.layout.uploadsDir, `${id}.json`);
  }

  private async load(id: string): Promise<ResumableUpload> {
    try {
      return JSON.parse(
        await readFile(this.recordPath(id), 'utf8'),
      ) as ResumableUpload;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        throw notFound(
          `No such resumable upload: ${id}. It may have been cancelled or expired.`,
        );
      }
      throw error;
    }
  }

  private async save(upload: ResumableUpload): Promise<void> {
    await writeFileAtomic(
      this.recordPath(upload.id),
      JSON.stringify(upload, null, 2),
      this.layout.stagingDir,
    );
  }
}
