import { mkdir, readFile, readdir, rm, stat } from 'node:fs/promises';
import { badRequest, conflict, noSuchBucket, notFound } from './api-error';
import {
  assertValidBucketName,
  isValidBucketName,
  type DataLayout,
} from './data-layout';
import { KeyedLock } from './keyed-lock';
import {
  parseNotificationConfig,
  type NotificationConfig,
} from './notification-configs';
import { writeFileAtomic } from './staged-file';

export interface BucketRecord {
  name: string;
  timeCreated: string;
  updated: string;
  metageneration: string;
  location: string;
  storageClass: string;
  labels?: Record<string, string>;
  notificationConfigs: NotificationConfig[];
  nextNotificationId: number;
}

const isMissing = (error: unknown): boolean =>
  (error as NodeJS.ErrnoException).code === 'ENOENT';

/**
 * Buckets are the folders under the buckets root: creating a folder by hand
 * creates a bucket. Their resource and notification configs live in a
 * record file aside; a folder without one gets defaults.
 */
export class BucketStore {
  private readonly records = new Map<string, BucketRecord>();
  private readonly lock = new KeyedLock();

  constructor(private readonly layout: DataLayout) {}

  async exists(name: string): Promise<boolean> {
    if (!isValidBucketName(name)) return false;
    try {
      return (await stat(this.layout.bucketDir(name))).isDirectory();
    } catch (error) {
      if (isMissing(error)) return false;
      throw error;
    }
  }

  async get(name: string): Promise<BucketRecord> {
    if (!(await this.exists(name))) {
      this.records.delete(name);
      throw noSuchBucket(name);
    }
    const cached = this.records.get(name);
    if (cached) return cached;
    const record = await this.readRecord(name);
    this.records.set(name, record);
    return record;
  }

  async list(): Promise<BucketRecord[]> {
    let entries;
    try {
      entries = await readdir(this.layout.bucketsRoot, { withFileTypes: true });
    } catch (error) {
      if (isMissing(error)) return [];
      throw error;
    }
    const names = entries
      .filter((entry) => entry.isDirectory() && isValidBucketName(entry.name))
      .map((entry) => entry.name)
      .sort();
    const records = await Promise.all(
      names.map((name) => this.get(name).catch(() => undefined)),
    );
    return records.filter((record): record is BucketRecord => !!record);
  }

  async create(body: unknown): Promise<BucketRecord> {
    const input = (
      typeof body === 'object' && body !== null ? body : {}
    ) as Record<string, unknown>;
    const name = input['name'];
    if (typeof name !== 'string')
      throw badRequest('Missing bucket name.', 'required');
    assertValidBucketName(name);
    return this.lock.run(name, async () => {
      await mkdir(this.layout.bucketsRoot, { recursive: true });
      try {
        await mkdir(this.layout.bucketDir(name));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
          throw conflict(
            'Your previous request to create the named bucket succeeded and you already own it.',
          );
        }
        throw error;
      }
      const now = new Date().toISOString();
      const record: BucketRecord = {
        name,
        timeCreated: now,
        updated: now,
        metageneration: '1',
        location:
          typeof input['location'] === 'string'
            ? input['location'].toUpperCase()
            : 'US',
        storageClass:
          typeof input['storageClass'] === 'string'
            ? input['storageClass']
            : 'STANDARD',
        ...(typeof input['labels'] === 'object' && input['labels'] !== null
          ? { labels: input['labels'] as Record<string, string> }
          : {}),
        notificationConfigs: [],
        nextNotificationId: 1,
      };
      await this.saveRecord(record);
      return record;
    });
  }

  /** Forgets a bucket whose objects are all gone; the caller checked that. */
  async remove(name: string): Promise<void> {
    await this.lock.run(name, async () => {
      await rm(this.layout.bucketDir(name), { recursive: true, force: true });
      await rm(this.layout.bucketRecordPath(name), { force: true });
      this.records.delete(name);
    });
  }

  async addNotification(
    bucket: string,
    body: unknown,
  ): Promise<NotificationConfig> {
    return this.update(bucket, (record) => {
      const config = parseNotificationConfig(
        body,
        String(record.nextNotificationId),
      );
      return {
        record: {
          ...record,
          notificationConfigs: [...record.notificationConfigs, config],
          nextNotificationId: record.nextNotificationId + 1,
        },
        result: config,
      };
    });
  }

  async getNotification(
    bucket: string,
    id: string,
  ): Promise<NotificationConfig> {
    const config = (await this.get(bucket)).notificationConfigs.find(
      (candidate) => candidate.id === id,
    );
    if (!config)
      throw notFound(`No such notification config ${id} on bucket ${bucket}.`);
    return config;
  }

  async deleteNotification(bucket: string, id: string): Promise<void> {
    await this.getNotification(bucket, id);
    await this.update(bucket, (record) => ({
      record: {
        ...record,
        notificationConfigs: record.notificationConfigs.filter(
          (config) => config.id !== id,
        ),
      },
      result: undefined,
    }));
  }

  private async update<T>(
    bucket: string,
    change: (record: BucketRecord) => { record: BucketRecord; result: T },
  ): Promise<T> {
    return this.lock.run(bucket, async () => {
      const { record, result } = change(await this.get(bucket));
      await this.saveRecord(record);
      return result;
    });
  }

  private async saveRecord(record: BucketRecord): Promise<void> {
    await writeFileAtomic(
      this.layout.bucketRecordPath(record.name),
      JSON.stringify(record, null, 2),
      this.layout.stagingDir,
    );
    this.records.set(record.name, record);
  }

  private async readRecord(name: string): Promise<BucketRecord> {
    try {
      return JSON.parse(
        await readFile(this.layout.bucketRecordPath(name), 'utf8'),
      ) as BucketRecord;
    } catch (error) {
      if (!isMissing(error)) throw error;
    }
    // Some file systems do not keep a birth time and report the epoch.
    const folder = await stat(this.layout.bucketDir(name));
    const created = new Date(
      folder.birthtimeMs || folder.mtimeMs,
    ).toISOString();
    return {
      name,
      timeCreated: created,
      updated: created,
      metageneration: '1',
      location: 'US',
      storageClass: 'STANDARD',
      notificationConfigs: [],
      nextNotificationId: 1,
    };
  }
}

export const toBucketResource = (record: BucketRecord, baseUrl: string) => ({
  kind: 'storage#bucket',
  id: record.name,
  selfLink: `${baseUrl}/storage/v1/b/${encodeURIComponent(record.name)}`,
  projectNumber: '0',
  name: record.name,
  timeCreated: record.timeCreated,
  updated: record.updated,
  metageneration: record.metageneration,
  location: record.location,
  locationType: 'multi-region',
  storageClass: record.storageClass,
  etag: Buffer.from(record.metageneration).toString('base64'),
  ...(record.labels ? { labels: record.labels } : {}),
});
