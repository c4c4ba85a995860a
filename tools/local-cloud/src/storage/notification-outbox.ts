import { mkdir, readFile, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../shared/logger';
import type { OutgoingNotification } from './notifications';
import { writeFileAtomic } from './staged-file';

export interface OutboxOptions {
  dir: string;
  stagingDir: string;
  publish: (notification: OutgoingNotification) => Promise<void>;
  logger: Logger;
  retry: { initialDelayMs: number; maxDelayMs: number };
}

interface Entry {
  id: string;
  notification: OutgoingNotification;
}

/** Notifications published together; the client batches them into few calls. */
const BATCH = 100;

/**
 * Notifications are written here before the change that caused them is
 * acknowledged, and removed once Pub/Sub has accepted them. While Pub/Sub is
 * unreachable, delivery is retried with exponential backoff; whatever is
 * left at shutdown goes out after the next start.
 */
export class NotificationOutbox {
  private queue: Entry[] = [];
  private sequence = 0;
  private failures = 0;
  private delivering: Promise<void> | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly options: OutboxOptions) {}

  get pending(): number {
    return this.queue.length;
  }

  async start(): Promise<void> {
    await mkdir(this.options.dir, { recursive: true });
    const files = (await readdir(this.options.dir))
      .filter((f) => f.endsWith('.json'))
      .sort();
    for (const file of files) {
      const path = join(this.options.dir, file);
      try {
        const notification = JSON.parse(
          await readFile(path, 'utf8'),
        ) as OutgoingNotification;
        this.queue.push({ id: file.slice(0, -'.json'.length), notification });
      } catch (error) {
        this.options.logger.warn(
          'Dropping an unreadable pending notification',
          { path, error },
        );
        await rm(path, { force: true });
      }
    }
    if (this.queue.length > 0) {
      this.options.logger.info(
        'Resuming delivery of notifications left from the last run',
        {
          pending: this.queue.length,
        },
      );
    }
    this.kick();
  }

  async add(notifications: readonly OutgoingNotification[]): Promise<void> {
    for (const notification of notifications) {
      // Sortable: time first, then a counter for notifications of the same millisecond.
      const id = `${String(Date.now()).padStart(15, '0')}-${String(this.sequence++).padStart(9, '0')}`;
      await writeFileAtomic(
        this.pathOf(id),
        JSON.stringify(notification),
        this.options.stagingDir,
      );
      this.queue.push({ id, notification });
    }
    this.kick();
  }

  /** Stops delivering; what is still pending stays on disk for the next start. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    await this.delivering;
    if (this.queue.length > 0) {
      this.options.logger.info(
        'Notifications not yet published are kept for the next start',
        {
          pending: this.queue.length,
        },
      );
    }
  }

  private kick(): void {
    if (
      this.stopped ||
      this.delivering ||
      this.retryTimer ||
      this.queue.length === 0
    )
      return;
    this.delivering = this.deliver().finally(() => {
      this.delivering = undefined;
      // Notifications added while the last batch was finishing.
      this.kick();
    });
  }

  private async deliver(): Promise<void> {
    const { logger, retry } = this.options;
    while (!this.stopped && this.queue.length > 0) {
      const batch = this.queue.slice(0, BATCH);
      const results = await Promise.allSettled(
        batch.map((entry) => this.options.publish(entry.notification)),
      );
      const delivered = new Set(
        batch.filter((_, i) => results[i].status === 'fulfilled'),
      );
      await Promise.all(
        [...delivered].map((entry) =>
          rm(this.pathOf(entry.id), { force: true }),
        ),
      );
      this.queue = this.queue.filter((entry) => !delivered.has(entry));
      const failedAt = results.findIndex(
        (result) => result.status === 'rejected',
      );
      if (failedAt >= 0) {
        this.failures++;
        const delayMs = Math.min(
          retry.initialDelayMs * 2 ** (this.failures - 1),
          retry.maxDelayMs,
        );
        logger.warn(
          'Could not publish storage notifications to Pub/Sub; retrying',
          {
            attempt: this.failures,
            retryInMs: delayMs,
            pending: this.queue.length,
            topic: batch[failedAt].notification.topic,
            error: (results[failedAt] as PromiseRejectedResult).reason,
          },
        );
        this.retryTimer = setTimeout(() => {
          this.retryTimer = undefined;
          this.kick();
        }, delayMs);
        return;
      }
      if (this.failures > 0) {
        logger.info('Pub/Sub accepts storage notifications again', {
          failedAttempts: this.failures,
          pending: this.queue.length,
        });
        this.failures = 0;
      }
    }
  }

  private pathOf(id: string): string {
    return join(this.options.dir, `${id}.json`);
  }
}
