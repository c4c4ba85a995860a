import { readFileSync } from 'node:fs';
import { PUBLIC_PROFILE_COLUMNS } from '../lib/profile';
import { canonicalDecimal } from './comparable-values';

type Json = Record<string, unknown>;

/** The samples' expected.json: the tables the four sample files must give. */
export interface ExpectedSamples {
  unified_events: Json[];
  profiles: Json[];
}

export const readExpectedSamples = (path: string): ExpectedSamples =>
  JSON.parse(readFileSync(path, 'utf8')) as ExpectedSamples;

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
