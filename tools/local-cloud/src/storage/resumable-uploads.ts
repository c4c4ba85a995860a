import { randomUUID } from 'node:crypto';
import { mkdir, open, readFile, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { badRequest, notFound } from './api-error';
import type { DataLayout } from './data-layout';
import { KeyedLock } from './keyed-lock';
import type { ObjectAttributes, ObjectRecord } from './object-record';
import type { Preconditions } from './preconditions';
import { writeFileAtomic } from './staged-file';

export interface UploadSession {
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
const SESSION_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;

const SESSION_ID =
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Resumable upload sessions: the session as JSON and the bytes received so
 * far in a `.part` file beside it, both on disk, so that an upload survives
 * a restart of the emulator. Requests on one session run one at a time.
 */
export class ResumableUploads {
  private readonly lock = new KeyedLock();

  constructor(private readonly layout: DataLayout) {}

  partPath(id: string): string {
    return join(this.layout.uploadsDir, `${id}.part`);
  }

  async create(
    fields: Omit<UploadSession, 'id' | 'createdAt'>,
  ): Promise<UploadSession> {
    const session: UploadSession = {
      ...fields,
      id: randomUUID(),
      createdAt: new Date().toISOString(),
    };
    await mkdir(this.layout.uploadsDir, { recursive: true });
    await (await open(this.partPath(session.id), 'wx')).close();
    await this.save(session);
    return session;
  }

  /** Runs `work` with exclusive use of the session. */
  async use<T>(
    id: string | null,
    work: (session: UploadSession) => Promise<T>,
  ): Promise<T> {
    if (id === null || !SESSION_ID.test(id)) {
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

  /** Records the object written from the session; the `.part` file has moved into place. */
  async complete(session: UploadSession, result: ObjectRecord): Promise<void> {
    await this.save({ ...session, result });
  }

  async cancel(id: string): Promise<void> {
    await rm(this.partPath(id), { force: true });
    await rm(this.sessionPath(id), { force: true });
  }

  /** Forgets sessions older than Google would keep them. */
  async removeExpired(now = Date.now()): Promise<void> {
    const files = await readdir(this.layout.uploadsDir).catch(() => []);
    await Promise.all(
      files
        .filter((file) => file.endsWith('.json'))
        .map(async (file) => {
          const id = file.slice(0, -'.json'.length);
          const session = await this.load(id).catch(() => undefined);
          if (
            !session ||
            now - Date.parse(session.createdAt) > SESSION_LIFETIME_MS
          ) {
            await this.cancel(id);
          }
        }),
    );
  }

  private sessionPath(id: string): string {
    return join(this.layout.uploadsDir, `${id}.json`);
  }

  private async load(id: string): Promise<UploadSession> {
    try {
      return JSON.parse(
        await readFile(this.sessionPath(id), 'utf8'),
      ) as UploadSession;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        throw notFound(
          `No such resumable upload: ${id}. It may have been cancelled or expired.`,
        );
      }
      throw error;
    }
  }

  private async save(session: UploadSession): Promise<void> {
    await writeFileAtomic(
      this.sessionPath(session.id),
      JSON.stringify(session, null, 2),
      this.layout.stagingDir,
    );
  }
}
