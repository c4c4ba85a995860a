import { column, RowOf, TableSpec } from './columns';

/**
 * The profile field groups of the data contract. Each group follows its own
 * winning event, so the profile keeps one version (event time and event id)
 * per group; that is what makes the fold independent of arrival order.
 */
export const PROFILE_FIELD_GROUPS = [
  'attributes',
  'install',
  'subscription',
  'cancellation',
  'activation',
  'revenue',
] as const;
export type ProfileFieldGroup = (typeof PROFILE_FIELD_GROUPS)[number];

const version = (group: ProfileFieldGroup, what: string) =>
  [
    column(
      `${group}_event_datetime`,
      'INT64',
      'NULLABLE',
      `Event time of the ${what}.`,
    ),
    column(
      `${group}_event_id`,
      'STRING',
      'NULLABLE',
      `Event id of the ${what}.`,
    ),
  ] as const;

export const PROFILE_COLUMNS = [
  column(
    'user_id',
    'STRING',
    'REQUIRED',
    'The user key, as in unified_events.',
  ),
  column('city', 'STRING', 'NULLABLE', 'From the latest GA4 first_open.'),
  column('region', 'STRING', 'NULLABLE', 'From the latest GA4 first_open.'),
  column('country', 'STRING', 'NULLABLE', 'From the latest GA4 first_open.'),
  column(
    'os',
    'STRING',
    'NULLABLE',
    'From the latest GA4 first_open (platform, upper-cased).',
  ),
  column(
    'app_version',
    'STRING',
    'NULLABLE',
    'From the latest GA4 first_open.',
  ),
  column(
    'device',
    'STRING',
    'NULLABLE',
    'Android: mobile_marketing_name; iOS: mobile_model_name.',
  ),
  column(
    'os_version',
    'STRING',
    'NULLABLE',
    'device.operating_system_version of the latest GA4 first_open.',
  ),
  column(
    'install_date',
    'INT64',
    'NULLABLE',
    'Earliest first_open: user_first_touch_timestamp, else event_timestamp (UTC microseconds).',
  ),
  column(
    'state',
    'STRING',
    'NULLABLE',
    'Subscription state from the latest state-setting Adapty event.',
  ),
  column(
    'product_id',
    'STRING',
    'NULLABLE',
    'Product of the event that set the state.',
  ),
  column(
    'cancellation_reason',
    'STRING',
    'NULLABLE',
    'Reason of the latest cancelled or refunded event, unless a later event set active or trial.',
  ),
  column(
    'profile_total_revenue_usd',
    'NUMERIC',
    'NULLABLE',
    'From the latest Adapty event that carries it.',
  ),
  column('updated_at', 'TIMESTAMP', 'REQUIRED', 'When the row last changed.'),
  ...version('attributes', 'first_open that set the attributes'),
  ...version('install', 'earliest first_open'),
  ...version('subscription', 'latest state-setting event'),
  ...version('cancellation', 'latest cancelled or refunded event'),
  ...version('activation', 'latest event that set active or trial'),
  ...version('revenue', 'latest event that carried profile_total_revenue_usd'),
] as const;

export type ProfileRow = RowOf<typeof PROFILE_COLUMNS>;

/** The profile as the contract defines it, without fold bookkeeping. */
export const PUBLIC_PROFILE_COLUMNS = [
  'user_id',
  'city',
  'region',
  'country',
  'os',
  'app_version',
  'device',
  'os_version',
  'install_date',
  'state',
  'product_id',
  'cancellation_reason',
  'profile_total_revenue_usd',
  'updated_at',
] as const satisfies readonly (keyof ProfileRow)[];

/** Profile values copied onto that user's unified_events rows. */
export const PROFILE_VALUES_ON_EVENTS = [
  'city',
  'region',
  'country',
  'os',
  'app_version',
  'state',
] as const satisfies readonly (keyof ProfileRow)[];

export const PROFILES_TABLE = {
  name: 'profiles',
  description: 'One row per user, folded from profile changes.',
  columns: PROFILE_COLUMNS,
  primaryKey: ['user_id'],
} as const satisfies TableSpec<typeof PROFILE_COLUMNS>;
