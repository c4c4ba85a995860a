import { watch, type FSWatcher } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Logger } from '../shared/logger';
import type { BucketStore } from './bucket-store';
import {
  isValidBucketName,
  objectNameSegments,
  type DataLayout,
} from './data-layout';
import { sameFile, type FileSignature } from './object-record';
import type { ObjectStore } from './object-store';

export interface DropFolderOptions {
  layout: DataLayout;
  buckets: BucketStore;
  objects: ObjectStore;
  logger: Logger;
  /** How long a file must keep its size and mtime to count as completely written. */
  quietMs: number;
  /** Interval of full walks, which catch what file-system events miss. */
  rescanMs: number;
}

interface Candidate {
  bucket: string;
  name: string;
  seen: FileSignature;
  /** When `seen` was first observed. */
  since: number;
}

/** Editors and copy tools write these next to the real file. */
const isScratchFile = (path: string): boolean => {
  const file = basename(path);
  return file.startsWith('.') || file.endsWith('~');
};

/**
 * Picks up files put into a bucket folder by hand (or left there without a
 * record, e.g. before the first start) once they are completely written,
 * and forgets objects whose file was deleted by hand. File-system events
 * make it quick; periodic full walks make it sure.
 */
export class DropFolderWatcher {
  private readonly candidates = new Map<string, Candidate>();
  private readonly touched = new Set<string>();
  private watcher: FSWatcher | undefined;
  private timers: NodeJS.Timeout[] = [];
  private work: Promise<void> = Promise.resolve();
  private readonly queued = new Set<'settle' | 'rescan'>();
  private stopped = false;

  constructor(private readonly options: DropFolderOptions) {}

  start(): void {
    const { layout, logger, quietMs, rescanMs } = this.options;
    try {
      this.watcher = watch(
        layout.bucketsRoot,
        { recursive: true },
        (_event, file) => {
          if (file) this.touched.add(join(layout.bucketsRoot, file.toString()));
        },
      );
      this.watcher.on('error', (error) => {
        logger.warn(
          'File-system events stopped; relying on periodic scans of the bucket folders',
          {
            error,
          },
        );
        this.watcher?.close();
      });
    } catch (error) {
      logger.debug(
        'No recursive file-system events here; using periodic scans only',
        { error },
      );
    }
    const settleEvery = Math.max(20, Math.min(250, Math.floor(quietMs / 2)));
    this.timers = [
      setInterval(() => this.enqueue('settle'), settleEvery),
      setInterval(() => this.enqueue('rescan'), rescanMs),
    ];
    this.enqueue('rescan');
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.watcher?.close();
    this.timers.forEach(clearInterval);
    await this.work;
  }

  /**
   * Scans and settles run one at a time, in order, and a step waits in line
   * at most once: a slow one (hashing a big file) does not pile up others.
   */
  private enqueue(step: 'settle' | 'rescan'): void {
    if (this.queued.has(step)) return;
    this.queued.add(step);
    this.work = this.work.then(async () => {
      this.queued.delete(step);
      if (this.stopped) return;
      try {
        await (step === 'settle' ? this.settle() : this.rescan());
      } catch (error) {
        this.options.logger.error('Scanning the bucket folders failed', {
          error,
        });
      }
    });
  }

  private async rescan(): Promise<void> {
    const { buckets, layout, objects } = this.options;
    for (const bucket of await buckets.list()) {
      const root = layout.bucketDir(bucket.name);
      const entries = await readdir(root, {
        recursive: true,
        withFileTypes: true,
      }).catch(() => []);
      const present = new Set<string>();
      for (const entry of entries) {
        if (!entry.isFile()) continue;
        const path = join(entry.parentPath, entry.name);
        present.add(layout.locate(path).name);
        await this.consider(path);
      }
      for (const record of await objects.list(bucket.name)) {
        if (
          !present.has(record.name) &&
          !objects.isBusy(bucket.name, record.name)
        ) {
          await objects.forget(bucket.name, record.name);
        }
      }
    }
  }

  /** Tracks a file that is not recorded as it now is. */
  private async consider(path: string): Promise<void> {
    const { layout, objects } = this.options;
    const { bucket, name } = layout.locate(path);
    if (
      !isValidBucketName(bucket) ||
      isScratchFile(path) ||
      !isObjectName(name)
    )
      return;
    const stats = await stat(path).catch(() => undefined);
    if (!stats?.isFile()) {
      this.candidates.delete(path);
      if (!stats) await objects.forget(bucket, name).catch(() => undefined);
      return;
    }
    if (objects.isBusy(bucket, name)) return;
    const seen = { size: stats.size, mtimeMs: stats.mtimeMs };
    const record = await objects.find(bucket, name).catch(() => undefined);
    if (record && sameFile(record.file, seen)) {
      this.candidates.delete(path);
      return;
    }
    const known = this.candidates.get(path);
    if (!known || !sameFile(known.seen, seen)) {
      this.candidates.set(path, { bucket, name, seen, since: Date.now() });
    }
  }

  private async settle(): Promise<void> {
    const { objects, logger, quietMs } = this.options;
    const touched = [...this.touched];
    this.touched.clear();
    for (const path of touched) await this.consider(path);
    for (const path of [...this.candidates.keys()]) {
      await this.consider(path);
      const candidate = this.candidates.get(path);
      if (!candidate || Date.now() - candidate.since < quietMs) continue;
      this.candidates.delete(path);
      const record = await objects.adopt(
        candidate.bucket,
        candidate.name,
        candidate.seen,
      );
      if (record) {
        logger.info('Picked up a file from the data folder', {
          bucket: record.bucket,
          object: record.name,
          generation: record.generation,
          size: record.size,
        });
      } else {
        // It changed while being read: watch it again from its new state.
        await this.consider(path);
      }
    }
  }
}

const isObjectName = (name: string): boolean => {
  try {
    objectNameSegments(name);
    return true;
  } catch {
    return false;
  }
};
