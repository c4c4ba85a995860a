import { type Stats } from 'node:fs';
import {
  mkdir,
  open,
  readFile,
  readdir,
  rename,
  rm,
  rmdir,
  stat,
  type FileHandle,
} from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Logger } from '../shared/logger';
import {
  badRequest,
  conflict,
  noSuchObject,
  serviceUnavailable,
} from './api-error';
import type { BucketStore } from './bucket-store';
import { hashFile, type ContentHashes } from './content-hashes';
import { contentTypeForFileName, DEFAULT_CONTENT_TYPE } from './content-types';
import { objectNameSegments, type DataLayout } from './data-layout';
import { KeyedLock } from './keyed-lock';
import {
  patchAttributes,
  sameFile,
  type FileSignature,
  type ObjectAttributes,
  type ObjectRecord,
  type parseObjectAttributes,
} from './object-record';
import { assertPreconditions, type Preconditions } from './preconditions';
import { writeFileAtomic } from './staged-file';

export type StorageEvent =
  | {
      type: 'OBJECT_FINALIZE';
      object: ObjectRecord;
      overwroteGeneration?: string;
    }
  | { type: 'OBJECT_METADATA_UPDATE'; object: ObjectRecord }
  | {
      type: 'OBJECT_DELETE';
      object: ObjectRecord;
      overwrittenByGeneration?: string;
    };

export interface NewObject {
  bucket: string;
  name: string;
  /** A staged, fsynced file that becomes the object's content. */
  source: string;
  hashes: ContentHashes;
  attributes: ObjectAttributes;
  preconditions: Preconditions;
}

const errorCode = (error: unknown) => (error as NodeJS.ErrnoException).code;

const signatureOf = (stats: Stats): FileSignature => ({
  size: stats.size,
  mtimeMs: stats.mtimeMs,
});

/**
 * Objects of every bucket: content as plain files under the bucket's folder,
 * one metadata record per object aside, and an in-memory index of those
 * records per bucket, loaded on first use. Changes to one object are
 * serialised; each change is reported through `onEvent` before it returns.
 */
export class ObjectStore {
  private readonly indexes = new Map<
    string,
    Promise<Map<string, ObjectRecord>>
  >();
  private readonly lock = new KeyedLock();
  private lastGeneration = 0;

  constructor(
    private readonly layout: DataLayout,
    private readonly buckets: BucketStore,
    private readonly logger: Logger,
    private readonly onEvent: (event: StorageEvent) => Promise<void>,
  ) {}

  /** True while the emulator itself is changing this object. */
  isBusy(bucket: string, name: string): boolean {
    return this.lock.isHeld(lockKey(bucket, name));
  }

  /** Waits for every change already started. */
  async drain(): Promise<void> {
    await this.lock.idle();
  }

  async find(bucket: string, name: string): Promise<ObjectRecord | undefined> {
    return (await this.index(bucket)).get(name);
  }

  async get(bucket: string, name: string): Promise<ObjectRecord> {
    const record = await this.find(bucket, name);
    if (!record) throw noSuchObject(bucket, name);
    return record;
  }

  /** Every live object of the bucket, in name order. */
  async list(bucket: string): Promise<ObjectRecord[]> {
    return [...(await this.index(bucket)).values()].sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
    );
  }

  /** Moves a staged file into place as the object's new generation. */
  async insert(input: NewObject): Promise<ObjectRecord> {
    const { bucket, name } = input;
    objectNameSegments(name);
    const index = await this.index(bucket);
    return this.lock.run(lockKey(bucket, name), async () => {
      const previous = index.get(name);
      assertPreconditions(input.preconditions, previous, 'write');
      const target = this.layout.objectPath(bucket, name);
      await this.moveIntoPlace(input.source, target, name);
      const now = new Date().toISOString();
      const record: ObjectRecord = {
        ...input.attributes,
        bucket,
        name,
        generation: this.nextGeneration(),
        metageneration: '1',
        contentType: input.attributes.contentType || DEFAULT_CONTENT_TYPE,
        ...input.hashes,
        timeCreated: now,
        updated: now,
        file: signatureOf(await stat(target)),
      };
      await this.save(index, record);
      await this.emitFinalize(record, previous);
      return record;
    });
  }

  /**
   * Records a file put in a bucket folder by hand. Returns undefined when
   * there is nothing to do: the file is already recorded as it is, is gone,
   * or changed while it was being read.
   */
  async adopt(
    bucket: string,
    name: string,
    seen: FileSignature,
  ): Promise<ObjectRecord | undefined> {
    const index = await this.index(bucket);
    return this.lock.run(lockKey(bucket, name), async () => {
      const previous = index.get(name);
      if (previous && sameFile(previous.file, seen)) return undefined;
      const path = this.layout.objectPath(bucket, name);
      const hashes = await hashFile(path).catch(() => undefined);
      const now = await stat(path).catch(() => undefined);
      if (!hashes || !now?.isFile() || !sameFile(signatureOf(now), seen)) {
        return undefined;
      }
      const time = new Date().toISOString();
      const record: ObjectRecord = {
        bucket,
        name,
        generation: this.nextGeneration(),
        metageneration: '1',
        contentType: contentTypeForFileName(name),
        ...hashes,
        timeCreated: time,
        updated: time,
        file: seen,
      };
      await this.save(index, record);
      await this.emitFinalize(record, previous);
      return record;
    });
  }

  async delete(
    bucket: string,
    name: string,
    preconditions: Preconditions,
  ): Promise<void> {
    const index = await this.index(bucket);
    await this.lock.run(lockKey(bucket, name), async () => {
      const record = index.get(name);
      if (!record) throw noSuchObject(bucket, name);
      assertPreconditions(preconditions, record, 'write');
      const path = this.layout.objectPath(bucket, name);
      await rm(path, { force: true });
      await this.pruneEmptyFolders(
        dirname(path),
        this.layout.bucketDir(bucket),
      );
      await this.unsave(index, record);
      await this.report({ type: 'OBJECT_DELETE', object: record });
    });
  }

  /** Drops the record of an object whose file was deleted by hand. */
  async forget(bucket: string, name: string): Promise<void> {
    const index = await this.index(bucket);
    await this.lock.run(lockKey(bucket, name), async () => {
      const record = index.get(name);
      const file = await stat(this.layout.objectPath(bucket, name)).catch(
        () => undefined,
      );
      if (!record || file) return;
      await this.unsave(index, record);
      await this.report({ type: 'OBJECT_DELETE', object: record });
    });
  }

  async patch(
    bucket: string,
    name: string,
    patch: ReturnType<typeof parseObjectAttributes>,
    preconditions: Preconditions,
  ): Promise<ObjectRecord> {
    const index = await this.index(bucket);
    return this.lock.run(lockKey(bucket, name), async () => {
      const current = index.get(name);
      if (!current) throw noSuchObject(bucket, name);
      assertPreconditions(preconditions, current, 'write');
      const record: ObjectRecord = {
        ...patchAttributes(current, patch),
        metageneration: String(Number(current.metageneration) + 1),
        updated: new Date().toISOString(),
      };
      await this.save(index, record);
      await this.report({ type: 'OBJECT_METADATA_UPDATE', object: record });
      return record;
    });
  }

  /**
   * Opens the object's content for reading. The handle keeps reading this
   * generation's bytes even if a new generation is moved in meanwhile.
   */
  async open(
    bucket: string,
    name: string,
    generation: string | undefined,
    preconditions: Preconditions,
  ): Promise<{ record: ObjectRecord; handle: FileHandle }> {
    const index = await this.index(bucket);
    return this.lock.run(lockKey(bucket, name), async () => {
      const record = index.get(name);
      if (
        !record ||
        (generation !== undefined && generation !== record.generation)
      ) {
        throw noSuchObject(bucket, name);
      }
      assertPreconditions(preconditions, record, 'read');
      const handle = await open(
        this.layout.objectPath(bucket, name),
        'r',
      ).catch((error: unknown) => {
        if (errorCode(error) === 'ENOENT') throw noSuchObject(bucket, name);
        throw error;
      });
      if (!sameFile(signatureOf(await handle.stat()), record.file)) {
        await handle.close();
        throw serviceUnavailable(
          `${bucket}/${name} was changed in the data folder and is being picked up again; retry shortly.`,
        );
      }
      return { record, handle };
    });
  }

  /** Deletes an empty bucket with everything the emulator kept about it. */
  async deleteBucket(bucket: string): Promise<void> {
    const index = await this.index(bucket);
    if (
      index.size > 0 ||
      (await containsFiles(this.layout.bucketDir(bucket)))
    ) {
      throw conflict('The bucket you tried to delete is not empty.');
    }
    await this.buckets.remove(bucket);
    await rm(this.layout.objectRecordsDir(bucket), {
      recursive: true,
      force: true,
    });
    this.indexes.delete(bucket);
  }

  private async index(bucket: string): Promise<Map<string, ObjectRecord>> {
    await this.buckets.get(bucket).catch((error: unknown) => {
      this.indexes.delete(bucket);
      throw error;
    });
    let index = this.indexes.get(bucket);
    if (!index) {
      index = this.loadIndex(bucket);
      this.indexes.set(bucket, index);
      index.catch(() => this.indexes.delete(bucket));
    }
    return index;
  }

  private async loadIndex(bucket: string): Promise<Map<string, ObjectRecord>> {
    const dir = this.layout.objectRecordsDir(bucket);
    const files = await readdir(dir).catch((error: unknown) => {
      if (errorCode(error) === 'ENOENT') return [];
      throw error;
    });
    const records = await Promise.all(
      files
        .filter((file) => file.endsWith('.json'))
        .map(async (file) => {
          try {
            return JSON.parse(
              await readFile(`${dir}/${file}`, 'utf8'),
            ) as ObjectRecord;
          } catch (error) {
            this.logger.warn('Ignoring an unreadable object record', {
              bucket,
              file,
              error,
            });
            return undefined;
          }
        }),
    );
    const index = new Map<string, ObjectRecord>();
    for (const record of records) {
      if (!record) continue;
      index.set(record.name, record);
      this.lastGeneration = Math.max(
        this.lastGeneration,
        Number(record.generation),
      );
    }
    return index;
  }

  /** Microseconds since the epoch, like Google's, and strictly increasing. */
  private nextGeneration(): string {
    this.lastGeneration = Math.max(this.lastGeneration + 1, Date.now() * 1000);
    return String(this.lastGeneration);
  }

  private async save(
    index: Map<string, ObjectRecord>,
    record: ObjectRecord,
  ): Promise<void> {
    await writeFileAtomic(
      this.layout.objectRecordPath(record.bucket, record.name),
      JSON.stringify(record, null, 2),
      this.layout.stagingDir,
    );
    index.set(record.name, record);
  }

  private async unsave(
    index: Map<string, ObjectRecord>,
    record: ObjectRecord,
  ): Promise<void> {
    await rm(this.layout.objectRecordPath(record.bucket, record.name), {
      force: true,
    });
    index.delete(record.name);
  }

  private async emitFinalize(
    record: ObjectRecord,
    previous: ObjectRecord | undefined,
  ): Promise<void> {
    if (previous) {
      await this.report({
        type: 'OBJECT_DELETE',
        object: previous,
        overwrittenByGeneration: record.generation,
      });
    }
    await this.report({
      type: 'OBJECT_FINALIZE',
      object: record,
      overwroteGeneration: previous?.generation,
    });
  }

  // The change is already durable: a failure to report it is logged, never
  // turned into an error the client would answer by writing again.
  private async report(event: StorageEvent): Promise<void> {
    try {
      await this.onEvent(event);
    } catch (error) {
      this.logger.error('Could not queue the notification of a change', {
        event: event.type,
        bucket: event.object.bucket,
        object: event.object.name,
        error,
      });
    }
  }

  private async moveIntoPlace(
    source: string,
    target: string,
    name: string,
  ): Promise<void> {
    // A delete may prune the folder between mkdir and rename; try again.
    for (let attempt = 1; ; attempt++) {
      try {
        await mkdir(dirname(target), { recursive: true });
        await rename(source, target);
        return;
      } catch (error) {
        const code = errorCode(error);
        if (code === 'ENOENT' && attempt < 3) continue;
        if (
          code === 'ENOTDIR' ||
          code === 'EEXIST' ||
          code === 'EISDIR' ||
          code === 'ENOTEMPTY'
        ) {
          throw conflict(
            `Object name ${JSON.stringify(name)} collides with another object in the local data folder: one name cannot be both a file and a folder there.`,
          );
        }
        if (code === 'ENAMETOOLONG') {
          throw badRequest(
            `Object name ${JSON.stringify(name)} is too long for the local file system.`,
          );
        }
        throw error;
      }
    }
  }

  private async pruneEmptyFolders(dir: string, stopAt: string): Promise<void> {
    while (dir.startsWith(stopAt) && dir !== stopAt) {
      try {
        await rmdir(dir);
      } catch {
        return;
      }
      dir = dirname(dir);
    }
  }
}

const lockKey = (bucket: string, name: string) => `${bucket}/${name}`;

const containsFiles = async (dir: string): Promise<boolean> => {
  const entries = await readdir(dir, {
    withFileTypes: true,
    recursive: true,
  }).catch(() => []);
  return entries.some((entry) => !entry.isDirectory());
};
