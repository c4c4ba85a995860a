import { sourceFileUri } from '@event-pipeline/schema';
import {
  finishedManifest,
  inboxFile,
  startedManifest,
} from '../testing/fixtures';
import {
  applyFileManifest,
  CommittedBatches,
  newFileAccounting,
  settleFileAccounting,
} from './file-accounting';

const file = inboxFile();
const NOW = '2024-09-18T08:01:00.000Z';
const fresh = () => newFileAccounting(sourceFileUri(file), NOW);
const committed = (over: Partial<CommittedBatches> = {}): CommittedBatches => ({
  rowsLoaded: 0,
  duplicates: 0,
  rowsRejected: 0,
  eventBatches: 0,
  profileChangeBatches: 0,
  errorBatches: 0,
  ...over,
});

describe('file accounting rules', () => {
  it('lets a started manifest fill only what is still unknown', () => {
    const finished = applyFileManifest(
      fresh(),
      finishedManifest(file, { rowsRead: 5 }),
    );
    const restarted = applyFileManifest(finished, {
      ...startedManifest(file, null),
      startedAt: '2024-09-18T09:00:00.000Z',
    });
    expect(restarted).toEqual(finished);
  });

  it('keeps the first finished manifest, filling only a kind still unknown', () => {
    const first = applyFileManifest(fresh(), {
      ...finishedManifest(file, { rowsRead: 5, eventBatches: 1 }),
      kind: null,
    });
    const again = applyFileManifest(first, {
      ...finishedManifest(file, { rowsRead: 6, eventBatches: 2 }, true),
      finishedAt: '2024-09-18T09:00:00.000Z',
    });
    expect(again).toEqual({ ...first, kind: 'adapty' });
  });

  it('refuses a finished manifest without totals, naming the file', () => {
    const manifest = { ...finishedManifest(file, {}), totals: undefined };
    expect(() => applyFileManifest(fresh(), manifest)).toThrow(
      `The finished manifest of ${sourceFileUri(file)} lacks totals`,
    );
  });

  it('keeps the manifest share of row_errors as rejected rows are added', () => {
    const withRejected = settleFileAccounting(
      fresh(),
      committed({ rowsRejected: 2 }),
      NOW,
    );
    const finished = applyFileManifest(
      withRejected,
      finishedManifest(file, { rowErrors: 3 }),
    );
    expect(finished.row_errors).toBe(5);
    const later = settleFileAccounting(
      finished,
      committed({ rowsRejected: 4 }),
      NOW,
    );
    expect(later).toMatchObject({ rows_rejected: 4, row_errors: 7 });
  });

  it('sets finished_at once, when the file becomes complete', () => {
    const finished = applyFileManifest(
      fresh(),
      finishedManifest(file, { eventBatches: 1 }),
    );
    expect(settleFileAccounting(finished, committed(), NOW)).toMatchObject({
      status: 'processing',
      finished_at: null,
    });
    const done = settleFileAccounting(
      finished,
      committed({ eventBatches: 1 }),
      NOW,
    );
    expect(done).toMatchObject({ status: 'done', finished_at: NOW });
    expect(
      settleFileAccounting(
        done,
        committed({ eventBatches: 1 }),
        '2024-09-18T10:00:00.000Z',
      ),
    ).toMatchObject({ finished_at: NOW });
  });
});
