import {
  PROFILE_FILLED_EVENT_COLUMNS,
  ProfileRow,
} from '@event-pipeline/schema';
import { canonicalDecimal } from '@event-pipeline/schema/testing';

type Json = Record<string, unknown>;

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
