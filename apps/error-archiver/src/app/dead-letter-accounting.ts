import {
  FileManifestDto,
  OutputStream,
  SourceFileRef,
  SubscriptionKey,
  SUBSCRIPTION_KEYS,
  Topology,
  validateMessage,
} from '@event-pipeline/schema';

/** What a dead letter means for its file's accounting. */
export type DeadLetterSettlement =
  /** A batch of one output stream that will never be committed. */
  | { kind: 'batch'; stream: OutputStream; batchIndex: number; rows: number }
  /** A file notification that could never be ingested: the file failed as a whole. */
  | { kind: 'file' }
  /**
   * A valid manifest the event-streamer could not record (the warehouse
   * failing for longer than the subscription's attempts): recorded here, or
   * its file would stay `processing`.
   */
  | { kind: 'manifest'; manifest: FileManifestDto }
  /** Nothing to settle (an invalid manifest, or a message naming no file). */
  | { kind: 'none' };

/** The stream each consuming subscription commits, and the array that holds its items. */
const BATCH_STREAMS: Partial<
  Record<SubscriptionKey, { stream: OutputStream; items: string }>
> = {
  eventStreamer: { stream: 'unified-events', items: 'events' },
  profileUpdater: { stream: 'profile-changes', items: 'changes' },
  errorArchiver: { stream: 'ingest-errors', items: 'records' },
};

const bodyOf = (data: Buffer): Record<string, unknown> | undefined => {
  try {
    const body: unknown = JSON.parse(data.toString('utf8'));
    return typeof body === 'object' && body !== null && !Array.isArray(body)
      ? (body as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
};

const manifestSettlement = (
  body: Record<string, unknown>,
): DeadLetterSettlement => {
  const manifest = validateMessage(FileManifestDto, body);
  return manifest.ok
    ? { kind: 'manifest', manifest: manifest.value }
    : { kind: 'none' };
};

const subscriptionKey = (
  topology: Topology,
  name: string,
): SubscriptionKey | undefined =>
  SUBSCRIPTION_KEYS.find((key) => topology.subscriptions[key].name === name);

export const settlementOf = (
  subscription: string,
  file: SourceFileRef | undefined,
  data: Buffer,
  topology: Topology,
): DeadLetterSettlement => {
  const key = subscriptionKey(topology, subscription);
  if (!file || !key) return { kind: 'none' };
  if (key === 'fileIngestor') return { kind: 'file' };
  const body = bodyOf(data);
  if (!body) return { kind: 'none' };
  if (key === 'fileManifests') return manifestSettlement(body);
  const batchStream = BATCH_STREAMS[key];
  if (!batchStream) return { kind: 'none' };
  const items = body[batchStream.items];
  // The event-streamer's own error batches were counted when their rows were.
  if (key === 'errorArchiver' && body['origin'] === 'event-streamer')
    return { kind: 'none' };
  if (!Number.isSafeInteger(body['batchIndex']) || !Array.isArray(items))
    return { kind: 'none' };
  return {
    kind: 'batch',
    stream: batchStream.stream,
    batchIndex: body['batchIndex'] as number,
    rows: items.length,
  };
};
