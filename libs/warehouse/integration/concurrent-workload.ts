import {
  FileManifestDto,
  ProfileChange,
  SourceFileRef,
  UnifiedEvent,
  sourceFileUri,
} from '@event-pipeline/schema';
import { Warehouse } from '../src/lib/warehouse.port';
import {
  adaptyEvent,
  finishedManifest,
  firstOpen,
  ga4Event,
  inboxFile,
  startedManifest,
  stateChange,
  T0,
} from '../src/testing/fixtures';

/**
 * What the writer processes of the concurrency test write: two files whose
 * events overlap (the second repeats half of the first's event ids), profile
 * changes for the same users, error batches and both files' manifests.
 */
export const USERS = 300;
export const EVENT_BATCHES = 120;
export const EVENTS_PER_BATCH = 200;
export const PROFILE_MICRO_BATCHES = 60;
export const MESSAGES_PER_MICRO_BATCH = 4;
export const CHANGES_PER_MESSAGE = 25;
export const ERROR_BATCHES = 30;

export const FILES = [inboxFile('mixed/a.csv'), inboxFile('mixed/b.csv')];

export const ROLES = [
  'events-a',
  'events-b',
  'profiles',
  'errors-and-manifests',
] as const;
export type Role = (typeof ROLES)[number];

const user = (n: number) => `user-${n % USERS}`;

/** Event k of file f; file b's even events are file a's. */
const eventOf = (fileIndex: number, k: number): UnifiedEvent => {
  const shared = fileIndex === 1 && k % 2 === 0;
  const id = shared ? `a-${k}` : `${fileIndex === 0 ? 'a' : 'b'}-${k}`;
  const make = k % 3 === 0 ? ga4Event : adaptyEvent;
  return make(id, user(k * 7), {
    event_datetime: T0 + k,
    source_file: sourceFileUri(FILES[shared ? 0 : fileIndex]),
  });
};

export const eventBatch = (
  fileIndex: number,
  batchIndex: number,
): UnifiedEvent[] =>
  Array.from({ length: EVENTS_PER_BATCH }, (_, i) =>
    eventOf(fileIndex, batchIndex * EVENTS_PER_BATCH + i),
  );

const STATES = ['trial', 'active', 'cancelled', 'expired', 'refunded'] as const;

/** Profile-change message m of file a. */
export const profileChanges = (m: number): ProfileChange[] =>
  Array.from({ length: CHANGES_PER_MESSAGE }, (_, i) => {
    const n = m * CHANGES_PER_MESSAGE + i;
    return n % 4 === 0
      ? firstOpen(user(n), `fo-${n}`, T0 + n, {
          city: `City ${n}`,
          app_version: `1.${n}`,
        })
      : stateChange(
          user(n),
          `st-${n}`,
          T0 + n,
          STATES[n % STATES.length],
          `${n}.5`,
        );
  });

export const allProfileChanges = (): ProfileChange[] =>
  Array.from(
    { length: PROFILE_MICRO_BATCHES * MESSAGES_PER_MICRO_BATCH },
    (_, m) => profileChanges(m),
  ).flat();

const totalEvents = EVENT_BATCHES * EVENTS_PER_BATCH;

export const manifestOf = (fileIndex: number): FileManifestDto =>
  finishedManifest(FILES[fileIndex], {
    rowsRead: totalEvents + (fileIndex === 0 ? ERROR_BATCHES : 0),
    rowErrors: fileIndex === 0 ? ERROR_BATCHES : 0,
    profileChanges:
      fileIndex === 0
        ? PROFILE_MICRO_BATCHES * MESSAGES_PER_MICRO_BATCH * CHANGES_PER_MESSAGE
        : 0,
    eventBatches: EVENT_BATCHES,
    profileChangeBatches:
      fileIndex === 0 ? PROFILE_MICRO_BATCHES * MESSAGES_PER_MICRO_BATCH : 0,
    errorBatches: fileIndex === 0 ? ERROR_BATCHES : 0,
  });

const errorRecordOf = (file: SourceFileRef, b: number) => ({
  source_file: sourceFileUri(file),
  scope: 'row' as const,
  location: { line: b + 2 },
  code: 'INVALID_DATETIME' as const,
  message: 'event_datetime: expected ISO-8601, found "soon"',
  raw: 'x,soon',
  occurred_at: '2024-09-18T08:00:00.000Z',
});

/** One role's writes, each batch redelivered once in a while as Pub/Sub does. */
export const runRole = async (
  warehouse: Warehouse,
  role: Role,
): Promise<number> => {
  let calls = 0;
  const twiceEvery = async (n: number, write: () => Promise<unknown>) => {
    await write();
    calls++;
    if (n % 7 === 3) {
      await write();
      calls++;
    }
  };
  switch (role) {
    case 'events-a':
    case 'events-b': {
      const fileIndex = role === 'events-a' ? 0 : 1;
      for (let b = 0; b < EVENT_BATCHES; b++) {
        await twiceEvery(b, () =>
          warehouse.insertEventBatch({
            file: FILES[fileIndex],
            batchIndex: b,
            events: eventBatch(fileIndex, b),
          }),
        );
      }
      break;
    }
    case 'profiles':
      for (let mb = 0; mb < PROFILE_MICRO_BATCHES; mb++) {
        const messages = Array.from(
          { length: MESSAGES_PER_MICRO_BATCH },
          (_, i) => {
            const m = mb * MESSAGES_PER_MICRO_BATCH + i;
            return {
              file: FILES[0],
              batchIndex: m,
              changes: profileChanges(m),
            };
          },
        );
        await twiceEvery(mb, () => warehouse.applyProfileChanges(messages));
      }
      break;
    case 'errors-and-manifests':
      for (const file of FILES)
        await warehouse.recordFileManifest(startedManifest(file));
      for (let b = 0; b < ERROR_BATCHES; b++) {
        await twiceEvery(b, () =>
          warehouse.recordErrorBatch({
            file: FILES[0],
            batchIndex: b,
            records: [errorRecordOf(FILES[0], b)],
          }),
        );
      }
      for (const fileIndex of [0, 1])
        await warehouse.recordFileManifest(manifestOf(fileIndex));
      calls += 4;
      break;
  }
  return calls;
};
