import { sourceFileUri, UnifiedEvent } from '@event-pipeline/schema';
import {
  eventually,
  PipelineTestBed,
} from '@event-pipeline/service-kit/testing';
import { EventStreamerModule } from '../src/app/event-streamer.module';

const file = {
  bucket: 'event-inbox',
  name: 'adapty.csv',
  generation: '1726644121000000',
};
const uri = sourceFileUri(file);

const event = (n: number): UnifiedEvent => ({
  event_id: `event-${n}`,
  source: 'adapty',
  user_id: 'user-1',
  event_name: 'subscription_renewed',
  event_datetime: 1_726_644_121_000_000 + n,
  city: null,
  region: null,
  country: null,
  os: null,
  app_version: null,
  event_parameters: { store: 'app_store' },
  proceeds_usd: '41.99',
  profile_total_revenue_usd: null,
  cancellation_reason: null,
  source_file: uri,
});

describe('event-streamer over Pub/Sub', () => {
  let bed: PipelineTestBed;

  beforeAll(async () => {
    bed = await PipelineTestBed.withService({
      name: 'event-streamer',
      rootModule: EventStreamerModule,
    });
  });

  afterAll(() => bed?.stop());

  it('writes event batches once, however often they are delivered, and finishes the file from its manifest', async () => {
    const startedAt = '2026-11-26T10:00:00.000Z';
    await bed.publish('fileManifests', {
      file,
      phase: 'started',
      kind: 'adapty',
      startedAt,
    });
    await bed.publish('unifiedEvents', {
      file,
      batchIndex: 0,
      events: [event(1), event(2)],
    });
    await bed.publish('unifiedEvents', {
      file,
      batchIndex: 0,
      events: [event(1), event(2)],
    });
    await bed.publish('unifiedEvents', {
      file,
      batchIndex: 1,
      events: [event(2), event(3)],
    });
    await bed.publish('fileManifests', {
      file,
      phase: 'finished',
      kind: 'adapty',
      startedAt,
      finishedAt: '2026-11-26T10:00:01.000Z',
      failed: false,
      totals: {
        rowsRead: 4,
        rowErrors: 0,
        fileErrors: 0,
        profileChanges: 0,
        eventBatches: 2,
        profileChangeBatches: 0,
        errorBatches: 0,
      },
    });

    const done = await eventually('the file to be done', async () => {
      const row = await bed.warehouse.getFileAccounting(uri);
      return row?.status === 'done' ? row : undefined;
    });
    expect(done).toMatchObject({
      rows_read: 4,
      rows_loaded: 3,
      duplicates: 1,
      row_errors: 0,
    });
  });
});
