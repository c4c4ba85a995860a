import { randomUUID } from 'node:crypto';
import { mkdir, open, rename, rm, type FileHandle } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ContentHasher, type ContentHashes } from './content-hashes';

/**
 * A file written outside the visible tree, hashed as it is written, and made
 * durable (fsync) before anyone moves it into place.
 */
export class StagedFile {
  private readonly hasher = new ContentHasher();

  private constructor(
    readonly path: string,
    private readonly handle: FileHandle,
  ) {}

  static async create(stagingDir: string): Promise<StagedFile> {
    const path = join(stagingDir, randomUUID());
    await mkdir(stagingDir, { recursive: true });
    return new StagedFile(path, await open(path, 'wx'));
  }

  async write(chunk: Buffer): Promise<void> {
    this.hasher.update(chunk);
    let offset = 0;
    while (offset < chunk.length) {
      const { bytesWritten } = await this.handle.write(chunk, offset);
      offset += bytesWritten;
    }
  }

  async writeAll(source: AsyncIterable<Buffer>): Promise<void> {
    for await (const chunk of source) await this.write(chunk);
  }

  async finish(): Promise<ContentHashes> {
    await this.handle.sync();
    await this.handle.close();
    return this.hasher.digest();
  }

  async discard(): Promise<void> {
    await this.handle.close().catch(() => undefined);
    await rm(this.path, { force: true });
  }
}

/** Replaces `path` with `data` in one step: temp file, fsync, rename. */
export const writeFileAtomic = async (
  path: string,
  data: string | Buffer,
  stagingDir: string,
): Promise<void> => {
  const staged = await StagedFile.create(stagingDir);
  try {
    await staged.write(typeof data === 'string' ? Buffer.from(data) : data);
    await staged.finish();
    await mkdir(dirname(path), { recursive: true });
    await rename(staged.path, path);
  } catch (error) {
    await staged.discard();
    throw error;
  }
};
