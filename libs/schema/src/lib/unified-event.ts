import { column, RowOf, TableSpec } from './columns';

export const UNIFIED_EVENT_COLUMNS = [
  column(
    'event_id',
    'STRING',
    'REQUIRED',
    'Stable hash of the source and the event content; the idempotency key.',
  ),
  column('source', 'STRING', 'REQUIRED', 'ga4 or adapty.'),
  column(
    'user_id',
    'STRING',
    'REQUIRED',
    'GA4 user_id else user_pseudo_id; Adapty customer_user_id else profile_id (else user_id).',
  ),
  column(
    'event_name',
    'STRING',
    'REQUIRED',
    'GA4 event_name; Adapty event_type / Event_Name.',
  ),
  column(
    'event_datetime',
    'INT64',
    'REQUIRED',
    'Event time in UTC microseconds.',
  ),
  column(
    'city',
    'STRING',
    'NULLABLE',
    'GA4: geo.city. Adapty: the user profile value.',
  ),
  column(
    'region',
    'STRING',
    'NULLABLE',
    'GA4: geo.region. Adapty: the user profile value.',
  ),
  column(
    'country',
    'STRING',
    'NULLABLE',
    'GA4: geo.country. Adapty: the user profile value.',
  ),
  column(
    'os',
    'STRING',
    'NULLABLE',
    'GA4: platform upper-cased. Adapty: the user profile value.',
  ),
  column(
    'app_version',
    'STRING',
    'NULLABLE',
    'GA4: app_info.version. Adapty: the user profile value.',
  ),
  column(
    'state',
    'STRING',
    'NULLABLE',
    'The user profile subscription state, kept current.',
  ),
  column(
    'event_parameters',
    'JSON',
    'NULLABLE',
    'GA4 event_params as key to value; Adapty unmapped CSV columns.',
  ),
  column(
    'proceeds_usd',
    'NUMERIC',
    'NULLABLE',
    'Adapty proceeds in USD, exact decimal.',
  ),
  column(
    'profile_total_revenue_usd',
    'NUMERIC',
    'NULLABLE',
    'Adapty lifetime revenue of the profile in USD, exact decimal.',
  ),
  column(
    'cancellation_reason',
    'STRING',
    'NULLABLE',
    'Adapty cancellation reason.',
  ),
  column(
    'source_file',
    'STRING',
    'REQUIRED',
    'gs://bucket/object#generation the row was read from.',
  ),
  column(
    'ingested_at',
    'TIMESTAMP',
    'REQUIRED',
    'When the row was written to the warehouse.',
  ),
] as const;

export type UnifiedEventRow = RowOf<typeof UNIFIED_EVENT_COLUMNS>;

/**
 * Columns that come from the user's current profile rather than from the
 * source row: `state` on every row, and the attributes on Adapty rows.
 */
export const PROFILE_FILLED_EVENT_COLUMNS = [
  'city',
  'region',
  'country',
  'os',
  'app_version',
] as const satisfies readonly (keyof UnifiedEventRow)[];

/**
 * A unified event as the parsers produce it and as it crosses Pub/Sub: every
 * column but those the warehouse fills when it writes the row.
 */
export type UnifiedEvent = Omit<UnifiedEventRow, 'state' | 'ingested_at'>;

export const UNIFIED_EVENTS_TABLE = {
  name: 'unified_events',
  description: 'One row per source event, GA4 and Adapty alike.',
  columns: UNIFIED_EVENT_COLUMNS,
  primaryKey: ['event_id'],
} as const satisfies TableSpec<typeof UNIFIED_EVENT_COLUMNS>;
