import * as path from 'node:path';
import type { Logger } from '../shared/logger';
import type { Broker } from './broker';
import { PUBSUB_DEFAULTS } from './defaults';
import { JournalFile, type JournalRecord, type ReadRecord } from './journal';
import { createStoredMessage, type StoredMessage } from './pubsub-message';
import type { HeldMessage, SavedSubscription, StateJournal } from './state-journal';
import type { Subscription } from './protos';
import type { Topic } from './protos';

/** A message's metadata in a record; its data follows in the blob. */
interface MessageMeta {
  /** Message number. */
  n: number;
  /** Publish time, epoch milliseconds. */
  p: number;
  /** Data length in the blob. */
  l: number;
  a?: Record<string, string>;
  k?: string;
  /** Holders, in snapshots only: [subscription, deliveries]. */
  h?: [string, number][];
}

type Header =
  | { t: 'topic'; topic: Topic }
  | { t: 'topic-deleted'; name: string }
  | { t: 'subscription'; resource: Subscription; uid: string; topicDeleted: boolean }
  | { t: 'subscription-deleted'; name: string }
  | { t: 'published'; topic: string; m: MessageMeta[] }
  | { t: 'held'; m: MessageMeta[] }
  | { t: 'numbers'; next: number }
  | { t: 'removed'; subscription: string; n: number[] };

const JOURNAL_FILE = 'pubsub.journal';
const SNAPSHOT_BATCH_BYTES = 4 * 1024 * 1024;

const record = (header: Header, blob?: Buffer[]): JournalRecord => ({ header: header as never, blob });

const meta = (message: StoredMessage, holders?: [string, number][]): MessageMeta => ({
  n: message.number,
  p: message.publishedAtMs,
  l: message.data.length,
  ...(Object.keys(message.attributes).length > 0 && { a: message.attributes }),
  ...(message.orderingKey !== '' && { k: message.orderingKey }),
  ...(holders && { h: holders }),
});

/** Messages of a record, their data copied out of the read buffer. */
const decodeMessages = (metas: MessageMeta[], blob: Buffer): StoredMessage[] => {
  let offset = 0;
  return metas.map((item) => {
    const data = Buffer.from(blob.subarray(offset, offset + item.l));
    offset += item.l;
    return createStoredMessage(item.n, { data, attributes: item.a ?? {}, orderingKey: item.k ?? '' }, item.p);
  });
};

/** Snapshot records holding many messages each, to keep per-record overhead low. */
function* heldRecords(messages: Iterable<HeldMessage>): Generator<JournalRecord> {
  let metas: MessageMeta[] = [];
  let blob: Buffer[] = [];
  let bytes = 0;
  for (const { message, holders } of messages) {
    metas.push(meta(message, holders));
    blob.push(message.data);
    bytes += message.data.length;
    if (bytes >= SNAPSHOT_BATCH_BYTES || metas.length >= 1000) {
      yield record({ t: 'held', m: metas }, blob);
      metas = [];
      blob = [];
      bytes = 0;
    }
  }
  if (metas.length > 0) yield record({ t: 'held', m: metas }, blob);
}

/**
 * The broker's journal in a data folder: every change is appended as it
 * happens, and when the file has grown well past what is still live it is
 * rewritten as a snapshot of the current state.
 */
export class BrokerJournal implements StateJournal {
  private readonly file: JournalFile;
  private compactAbove: number;
  private compactionScheduled = false;

  private constructor(
    dataDir: string,
    private readonly broker: Broker,
    private readonly logger: Logger,
  ) {
    const started = Date.now();
    let records = 0;
    this.file = JournalFile.open(
      path.join(dataDir, JOURNAL_FILE),
      (read) => {
        records++;
        this.replay(read);
      },
      (offset, size) =>
        logger.warn('journal ends with an incomplete record, probably cut by a crash; dropping it', {
          offset,
          bytes: size - offset,
        }),
    );
    broker.expireMessages();
    this.compactAbove = PUBSUB_DEFAULTS.compactionMinBytes;
    logger.info('journal replayed', { dataDir, records, bytes: this.file.size, ms: Date.now() - started });
  }

  /** Replays the journal of `dataDir` into `broker` and records its changes from now on. */
  static open(dataDir: string, broker: Broker, logger: Logger): BrokerJournal {
    const journal = new BrokerJournal(dataDir, broker, logger);
    journal.compactIfLarge();
    broker.journal = journal;
    return journal;
  }

  topicSaved(topic: Topic): void {
    this.append(record({ t: 'topic', topic }));
  }

  topicDeleted(name: string): void {
    this.append(record({ t: 'topic-deleted', name }));
  }

  subscriptionSaved(saved: SavedSubscription): void {
    this.append(record({ t: 'subscription', ...saved }));
  }

  subscriptionDeleted(name: string): void {
    this.append(record({ t: 'subscription-deleted', name }));
  }

  published(topic: string, messages: readonly StoredMessage[]): void {
    this.append(record({ t: 'published', topic, m: messages.map((message) => meta(message)) }, messages.map((message) => message.data)));
  }

  numbersSpent(next: number): void {
    this.append(record({ t: 'numbers', next }));
  }

  removed(subscription: string, numbers: readonly number[]): void {
    this.append(record({ t: 'removed', subscription, n: [...numbers] }));
  }

  close(): void {
    this.file.close();
  }

  /** Rewrites the journal as a snapshot of the broker's state. */
  compact(): void {
    const started = Date.now();
    const before = this.file.size;
    const state = this.broker.exportState();
    const records = function* (): Generator<JournalRecord> {
      yield record({ t: 'numbers', next: state.nextMessageNumber });
      for (const topic of state.topics) yield record({ t: 'topic', topic });
      for (const saved of state.subscriptions) yield record({ t: 'subscription', ...saved });
      yield* heldRecords(state.messages);
    };
    this.file.rewrite(records());
    this.compactAbove = Math.max(PUBSUB_DEFAULTS.compactionMinBytes, this.file.size * PUBSUB_DEFAULTS.compactionGrowthFactor);
    this.logger.info('journal compacted', { before, after: this.file.size, ms: Date.now() - started });
  }

  private append(journalRecord: JournalRecord): void {
    this.file.append([journalRecord]);
    if (this.file.size > this.compactAbove && !this.compactionScheduled) {
      this.compactionScheduled = true;
      // Outside the request that crossed the line, so it answers first.
      setImmediate(() => {
        this.compactionScheduled = false;
        this.compactIfLarge();
      });
    }
  }

  private compactIfLarge(): void {
    const size = this.file.size;
    if (size > this.compactAbove && size > this.broker.liveBytes() * PUBSUB_DEFAULTS.compactionGrowthFactor) {
      this.compact();
    } else if (size > this.compactAbove) {
      this.compactAbove = size * PUBSUB_DEFAULTS.compactionGrowthFactor;
    }
  }

  private replay({ header: raw, blob }: ReadRecord): void {
    const header = raw as Header;
    const broker = this.broker;
    try {
      switch (header.t) {
        case 'topic':
          return broker.restoreTopic(header.topic);
        case 'topic-deleted':
          return broker.deleteTopic(header.name);
        case 'subscription':
          return broker.restoreSubscription(header);
        case 'subscription-deleted':
          return broker.deleteSubscription(header.name);
        case 'published':
          return broker.replayPublish(header.topic, decodeMessages(header.m, blob));
        case 'held': {
          const messages = decodeMessages(header.m, blob);
          messages.forEach((message, index) => broker.restoreMessage(message, header.m[index].h ?? []));
          return;
        }
        case 'numbers':
          return broker.spendNumbers(header.next);
        case 'removed':
          return broker.subscription(header.subscription).forget(header.n);
      }
    } catch (error) {
      this.logger.warn('skipping a journal record that no longer applies', {
        record: header.t,
        error,
      });
    }
  }
}
