import { DEFAULT_TOPOLOGY } from '@event-pipeline/schema';
import { settlementOf } from './dead-letter-accounting';

const file = { bucket: 'event-inbox', name: 'adapty.csv', generation: '1' };
const json = (value: unknown) => Buffer.from(JSON.stringify(value));

describe('settlementOf', () => {
  it('settles an event batch with its rows', () => {
    expect(
      settlementOf(
        'event-streamer',
        file,
        json({ file, batchIndex: 4, events: [{}, {}] }),
        DEFAULT_TOPOLOGY,
      ),
    ).toEqual({
      kind: 'batch',
      stream: 'unified-events',
      batchIndex: 4,
      rows: 2,
    });
  });

  it('settles profile-change and error batches on their own streams', () => {
    expect(
      settlementOf(
        'profile-updater',
        file,
        json({ file, batchIndex: 0, changes: [{}] }),
        DEFAULT_TOPOLOGY,
      ),
    ).toEqual({
      kind: 'batch',
      stream: 'profile-changes',
      batchIndex: 0,
      rows: 1,
    });
    expect(
      settlementOf(
        'error-archiver',
        file,
        json({ file, batchIndex: 2, records: [] }),
        DEFAULT_TOPOLOGY,
      ),
    ).toEqual({
      kind: 'batch',
      stream: 'ingest-errors',
      batchIndex: 2,
      rows: 0,
    });
  });

  it('fails the file of a notification that could never be ingested', () => {
    expect(
      settlementOf('file-ingestor', file, json({}), DEFAULT_TOPOLOGY),
    ).toEqual({ kind: 'file' });
  });

  it('settles a valid manifest that the event-streamer could not record', () => {
    const manifest = {
      file,
      phase: 'finished',
      kind: 'adapty',
      startedAt: '2026-11-26T10:00:00.000Z',
      finishedAt: '2026-11-26T10:00:01.000Z',
      failed: false,
      totals: {
        rowsRead: 2,
        rowErrors: 0,
        fileErrors: 0,
        profileChanges: 2,
        eventBatches: 1,
        profileChangeBatches: 1,
        errorBatches: 0,
      },
    };
    expect(
      settlementOf(
        'event-streamer-file-manifests',
        file,
        json(manifest),
        DEFAULT_TOPOLOGY,
      ),
    ).toEqual({ kind: 'manifest', manifest });
  });

  it('settles nothing for refused rows (already counted), invalid manifests, unknown subscriptions or unreadable batches', () => {
    const none = { kind: 'none' };
    expect(
      settlementOf(
        'error-archiver',
        file,
        json({ file, batchIndex: 0, origin: 'event-streamer', records: [] }),
        DEFAULT_TOPOLOGY,
      ),
    ).toEqual(none);
    expect(
      settlementOf(
        'event-streamer-file-manifests',
        file,
        json({ file }),
        DEFAULT_TOPOLOGY,
      ),
    ).toEqual(none);
    expect(
      settlementOf(
        'somebody-else',
        file,
        json({ file, batchIndex: 0, events: [] }),
        DEFAULT_TOPOLOGY,
      ),
    ).toEqual(none);
    expect(
      settlementOf(
        'event-streamer',
        file,
        Buffer.from('{"oops'),
        DEFAULT_TOPOLOGY,
      ),
    ).toEqual(none);
    expect(
      settlementOf(
        'event-streamer',
        undefined,
        json({ batchIndex: 0, events: [] }),
        DEFAULT_TOPOLOGY,
      ),
    ).toEqual(none);
  });
});
