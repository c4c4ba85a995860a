import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  FileManifestDto,
  PROFILE_FILLED_EVENT_COLUMNS,
  ManifestTotalsDto,
  ProfileAttributes,
  ProfileChange,
  SourceFileRef,
  SubscriptionState,
  UnifiedEvent,
  UnifiedEventRow,
  sourceFileUri,
} from '@event-pipeline/schema';
import { FILLED_ON_EVERY_ROW } from '../lib/profile-values-on-events';

export const inboxFile = (
  name = 'adapty/events.csv',
  generation = '1',
): SourceFileRef => ({
  bucket: 'event-inbox',
  name,
  generation,
});

export const MICROS_PER_SECOND = 1_000_000;
/** 2024-09-18T07:22:41Z in microseconds. */
export const T0 = 1_726_644_161 * MICROS_PER_SECOND;

export const adaptyEvent = (
  eventId: string,
  userId: string,
  overrides: Partial<UnifiedEvent> = {},
): UnifiedEvent => ({
  event_id: eventId,
  source: 'adapty',
  user_id: userId,
  event_name: 'subscription_renewed',
  event_datetime: T0,
  city: null,
  region: null,
  country: null,
  os: null,
  app_version: null,
  event_parameters: { store: 'app_store', product_id: 'pro_monthly' },
  proceeds_usd: '7.490000001',
  profile_total_revenue_usd: '123456789012345678901234567.89',
  cancellation_reason: null,
  source_file: sourceFileUri(inboxFile()),
  ...overrides,
});

export const ga4Event = (
  eventId: string,
  userId: string,
  overrides: Partial<UnifiedEvent> = {},
): UnifiedEvent => ({
  event_id: eventId,
  source: 'ga4',
  user_id: userId,
  event_name: 'screen_view',
  event_datetime: T0,
  city: 'Lisbon',
  region: 'Lisbon',
  country: 'Portugal',
  os: 'ANDROID',
  app_version: '3.1.0',
  event_parameters: { firebase_screen: 'paywall', engagement_time_msec: 1200 },
  proceeds_usd: null,
  profile_total_revenue_usd: null,
  cancellation_reason: null,
  source_file: sourceFileUri(inboxFile('ga4/export.zip')),
  ...overrides,
});

export const firstOpen = (
  userId: string,
  eventId: string,
  eventDatetime: number,
  attributes: Partial<ProfileAttributes> = {},
): ProfileChange => ({
  user_id: userId,
  event_id: eventId,
  event_datetime: eventDatetime,
  attributes: {
    city: 'Berlin',
    region: 'Berlin',
    country: 'Germany',
    os: 'IOS',
    app_version: '2.0.0',
    device: 'iPhone 15',
    os_version: '17.5',
    ...attributes,
  },
  install_date: eventDatetime,
});

export const stateChange = (
  userId: string,
  eventId: string,
  eventDatetime: number,
  state: SubscriptionState,
  revenue?: string,
): ProfileChange => ({
  user_id: userId,
  event_id: eventId,
  event_datetime: eventDatetime,
  subscription: { state, product_id: 'pro_monthly', cancellation_reason: null },
  ...(revenue === undefined ? {} : { revenue }),
});

export const startedManifest = (
  file: SourceFileRef,
  kind: FileManifestDto['kind'] = 'adapty',
): FileManifestDto => ({
  file,
  phase: 'started',
  kind,
  startedAt: '2024-09-18T08:00:00.000Z',
});

export const finishedManifest = (
  file: SourceFileRef,
  totals: Partial<ManifestTotalsDto>,
  failed = false,
): FileManifestDto => ({
  file,
  phase: 'finished',
  kind: 'adapty',
  startedAt: '2024-09-18T08:00:00.000Z',
  finishedAt: '2024-09-18T08:00:05.000Z',
  failed,
  totals: {
    rowsRead: 0,
    rowErrors: 0,
    fileErrors: 0,
    profileChanges: 0,
    eventBatches: 0,
    profileChangeBatches: 0,
    errorBatches: 0,
    ...totals,
  },
});

/** A fresh folder per test; `remove` deletes it. */
export const tempWarehousePath = (): { path: string; remove: () => void } => {
  const dir = mkdtempSync(join(tmpdir(), 'warehouse-'));
  return {
    path: join(dir, 'nested', 'warehouse.sqlite'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
};

export type StoredEvent = Omit<UnifiedEventRow, 'event_parameters'> & {
  event_parameters: string | null;
};

/** Reads through a separate read-only connection, as another process would. */
const query = <Row>(path: string, sql: string): Row[] => {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare(sql).all() as Row[];
  } finally {
    db.close();
  }
};

/** A whole table as stored, in key order. */
export const readTable = <Row = Record<string, unknown>>(
  path: string,
  table: string,
  orderBy: string,
): Row[] => query<Row>(path, `SELECT * FROM ${table} ORDER BY ${orderBy}`);

export const readUnifiedEvents = (path: string): StoredEvent[] =>
  readTable<StoredEvent>(path, 'unified_events', 'event_id');

/**
 * Events whose profile columns differ from their user's profile (state on
 * every row, attributes on Adapty rows): empty when the tables agree.
 */
export const eventsOutOfStepWithProfiles = (
  path: string,
): { event_id: string; user_id: string }[] => {
  const differs = (name: string) => `e.${name} IS NOT p.${name}`;
  return query(
    path,
    `SELECT e.event_id, e.user_id FROM unified_events e
     LEFT JOIN profiles p ON p.user_id = e.user_id
     WHERE ${FILLED_ON_EVERY_ROW.map(differs).join(' OR ')}
        OR (e.source = 'adapty' AND (${PROFILE_FILLED_EVENT_COLUMNS.map(differs).join(' OR ')}))`,
  );
};
