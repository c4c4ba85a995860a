import { PubSubContext } from '@event-pipeline/pubsub-transport';
import { FileAccountingRow, FileManifestDto } from '@event-pipeline/schema';
import { Warehouse } from '@event-pipeline/warehouse';
import { Logger } from '@nestjs/common';
import { DeadLettersHandler } from './dead-letters.handler';
import { ErrorLogWriter } from './error-log.writer';

const file = { bucket: 'event-inbox', name: 'ga4.zip', generation: '1' };

const manifest: FileManifestDto = {
  file,
  phase: 'finished',
  kind: 'ga4',
  startedAt: '2026-11-26T10:00:00.000Z',
  finishedAt: '2026-11-26T10:00:09.000Z',
  failed: false,
  totals: {
    rowsRead: 1000,
    rowErrors: 0,
    fileErrors: 0,
    profileChanges: 10,
    eventBatches: 2,
    profileChangeBatches: 1,
    errorBatches: 0,
  },
};

/** What the handler is given when the event-streamer's manifest subscription gave a message up. */
const deadLetterContext = {
  getAttributes: () => ({
    CloudPubSubDeadLetterSourceSubscription: 'event-streamer-file-manifests',
    CloudPubSubDeadLetterSourceDeliveryCount: '5',
  }),
  getPublishTime: () => new Date('2026-11-26T10:05:00Z'),
} as unknown as PubSubContext;

/** A Cloud Storage notification of the file that the file-ingestor gave up on. */
const notificationContext = {
  getAttributes: () => ({
    CloudPubSubDeadLetterSourceSubscription: 'file-ingestor',
    CloudPubSubDeadLetterSourceDeliveryCount: '5',
    bucketId: file.bucket,
    objectId: file.name,
    objectGeneration: file.generation,
    eventType: 'OBJECT_FINALIZE',
  }),
  getPublishTime: () => new Date('2026-11-26T10:05:00Z'),
} as unknown as PubSubContext;

describe('DeadLettersHandler', () => {
  const steps: string[] = [];
  const logs = {
    write: jest.fn(async (name: string) => {
      steps.push('archived');
      return `gs://event-errors/${name}`;
    }),
  };
  const recordFileManifest = jest.fn(async () => {
    steps.push('recorded');
  });
  let known: Partial<FileAccountingRow> | null = null;
  const getFileAccounting = jest.fn(async () => known);
  const handler = new DeadLettersHandler(
    logs as unknown as ErrorLogWriter,
    { recordFileManifest, getFileAccounting } as unknown as Warehouse,
  );

  beforeAll(() => Logger.overrideLogger(false));
  beforeEach(() => {
    steps.length = 0;
    known = null;
    jest.clearAllMocks();
  });

  it('archives a dead-lettered manifest, then records it, so its file can settle', async () => {
    await handler.archive(
      Buffer.from(JSON.stringify(manifest)),
      deadLetterContext,
    );
    expect(steps).toEqual(['archived', 'recorded']);
    expect(recordFileManifest).toHaveBeenCalledWith(
      expect.objectContaining(manifest),
    );
  });

  it('archives an invalid manifest without recording it', async () => {
    await handler.archive(
      Buffer.from(JSON.stringify({ ...manifest, phase: 'halfway' })),
      deadLetterContext,
    );
    expect(steps).toEqual(['archived']);
    expect(recordFileManifest).not.toHaveBeenCalled();
  });

  it('fails the file of a notification that could never be ingested', async () => {
    known = { status: 'processing', event_batches: null };
    await handler.archive(Buffer.from('{}'), notificationContext);
    expect(steps).toEqual(['archived', 'recorded']);
    expect(recordFileManifest).toHaveBeenCalledWith(
      expect.objectContaining({ file, phase: 'finished', failed: true }),
    );
  });

  it('fails nothing for a duplicate notification of a file whose finished manifest is recorded', async () => {
    known = { status: 'done', event_batches: 2 };
    await handler.archive(Buffer.from('{}'), notificationContext);
    expect(steps).toEqual(['archived']);
    expect(recordFileManifest).not.toHaveBeenCalled();
  });
});
