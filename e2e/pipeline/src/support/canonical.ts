import {
  PROFILE_FILLED_EVENT_COLUMNS,
  PUBLIC_PROFILE_COLUMNS,
  ProfileRow,
} from '@event-pipeline/schema';

type Json = Record<string, unknown>;

/**
 * A decimal as canonical text, whether it came as text or as a JSON number:
 * "2.090" and 2.09 both give "2.09", "-0" gives "0". Numbers are written
 * the way JSON wrote them (shortest round trip), which is exact for the
 * literals a JSON file holds.
 */
export const canonicalDecimal = (value: unknown): string | null => {
  if (value === null || value === undefined) return null;
  const match = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(String(value).trim());
  if (!match || (match[2] === '' && !match[3])) {
    throw new Error(`not a plain decimal: ${JSON.stringify(value)}`);
  }
  const integer = match[2].replace(/^0+/, '') || '0';
  const fraction = (match[3] ?? '').replace(/0+$/, '');
  const digits = fraction ? `${integer}.${fraction}` : integer;
  return match[1] === '-' && digits !== '0' ? `-${digits}` : digits;
};

/** JSON with object keys sorted at every depth: equal values, equal text. */
export const stableJson = (value: unknown): string =>
  JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(
          Object.entries(inner as Json).sort(([a], [b]) =>
            a < b ? -1 : a > b ? 1 : 0,
          ),
        )
      : inner,
  );

/** A multiset as a sorted array, so that two multisets compare with toEqual. */
export const asMultiset = <T>(values: readonly T[]): T[] =>
  values
    .map((value) => ({ key: stableJson(value), value }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map(({ value }) => value);

/** The product an Adapty row names, in either CSV layout. */
const productOf = (parameters: unknown): unknown => {
  const params = (parameters ?? {}) as Json;
  return params['product_id'] ?? params['vendor_product_id'] ?? null;
};

/**
 * An event as the samples' expected.json lists it: no event_id, ingested_at
 * or source_file, none of the columns filled from the profile, decimals
 * canonical, and an Adapty row's product instead of its parameters.
 */
export const expectedEventView = (event: Json): Json =>
  event['source'] === 'ga4'
    ? {
        source: event['source'],
        user_id: event['user_id'],
        event_name: event['event_name'],
        event_datetime: event['event_datetime'],
        city: event['city'],
        region: event['region'],
        country: event['country'],
        os: event['os'],
        app_version: event['app_version'],
        event_parameters: event['event_parameters'],
      }
    : {
        source: event['source'],
        user_id: event['user_id'],
        event_name: event['event_name'],
        event_datetime: event['event_datetime'],
        proceeds_usd: canonicalDecimal(event['proceeds_usd']),
        profile_total_revenue_usd: canonicalDecimal(
          event['profile_total_revenue_usd'],
        ),
        cancellation_reason: event['cancellation_reason'],
        product:
          'product' in event
            ? event['product']
            : productOf(event['event_parameters']),
      };

const PROFILE_VIEW_COLUMNS = PUBLIC_PROFILE_COLUMNS.filter(
  (name) => name !== 'updated_at',
);

/** A profile's contract columns (no updated_at, no fold bookkeeping), decimals canonical. */
export const profileView = (profile: Json): Json => {
  const view = Object.fromEntries(
    PROFILE_VIEW_COLUMNS.map((name) => [name, profile[name] ?? null]),
  );
  view['profile_total_revenue_usd'] = canonicalDecimal(
    view['profile_total_revenue_usd'],
  );
  return view;
};

/** The columns a row takes from its user's profile: state always, attributes on Adapty rows. */
export const profileFilledColumns = (source: unknown): readonly string[] =>
  source === 'adapty' ? ['state', ...PROFILE_FILLED_EVENT_COLUMNS] : ['state'];

/**
 * Where a row's profile-filled columns differ from its user's profile
 * (null values when the user has none), as readable lines; empty when they
 * all agree.
 */
export const profileColumnMismatches = (
  events: readonly Json[],
  profiles: readonly ProfileRow[],
): string[] => {
  const byUser = new Map(profiles.map((p) => [p.user_id, p as Json]));
  const mismatches: string[] = [];
  for (const event of events) {
    const profile = byUser.get(String(event['user_id']));
    for (const column of profileFilledColumns(event['source'])) {
      const expected = profile?.[column] ?? null;
      if (event[column] !== expected) {
        mismatches.push(
          `${String(event['event_id'])} (${String(event['source'])}, user ${String(event['user_id'])}): ${column} is ${JSON.stringify(event[column])}, the profile says ${JSON.stringify(expected)}`,
        );
      }
    }
  }
  return mismatches;
};

/**
 * An event as the parsers produce it: without what the warehouse adds
 * (state, ingested_at), the file it came from, and the columns an Adapty
 * row takes from the profile; decimals canonical.
 */
export const parsedEventView = (event: Json): Json => {
  const view: Json = { ...event };
  delete view['state'];
  delete view['ingested_at'];
  delete view['source_file'];
  if (event['source'] === 'adapty') {
    for (const column of PROFILE_FILLED_EVENT_COLUMNS) delete view[column];
  }
  view['proceeds_usd'] = canonicalDecimal(event['proceeds_usd']);
  view['profile_total_revenue_usd'] = canonicalDecimal(
    event['profile_total_revenue_usd'],
  );
  return view;
};
