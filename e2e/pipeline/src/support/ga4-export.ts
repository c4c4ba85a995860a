import {
  GA4_DEVICES,
  GA4_PLACES,
  ga4EventDate,
  ga4Param,
  ga4SessionParams,
  pick,
  prettyArray,
  seededRandom,
  zipOf,
} from '@event-pipeline/parsers/testing';

export interface Ga4ExportOptions {
  seed: number;
  events: number;
  /** Users are `<userPrefix>.<n>` pseudo ids, a third of them with a user_id. */
  userPrefix: string;
  users: number;
}

export type Ga4Event = Record<string, unknown>;

const EVENT_NAMES = [
  'first_open',
  'screen_view',
  'screen_view',
  'user_engagement',
  'session_start',
  'paywall_shown',
];
/**
 * GA4 export events as Google's BigQuery export writes them: int64 values
 * as strings or numbers, platform in any case, first_open events whose
 * attributes differ from one to the next so the latest one matters.
 */
export function* ga4ExportEvents({
  seed,
  events,
  userPrefix,
  users,
}: Ga4ExportOptions): Generator<Ga4Event> {
  const next = seededRandom(seed);
  let timestamp = 1_700_000_000_000_000 + seed * 1_000_000_000;
  for (let i = 0; i < events; i++) {
    timestamp += 1 + Math.floor(next() * 2_000_000);
    const user = Math.floor(next() * users);
    const [platform, , model, marketing, os, osVersion] = pick(
      next,
      GA4_DEVICES,
    );
    const [city, region, country, continent] = pick(next, GA4_PLACES);
    const session = Math.floor(timestamp / 1e6);
    yield {
      event_date: ga4EventDate(timestamp),
      event_timestamp: next() < 0.5 ? String(timestamp) : timestamp,
      event_name: pick(next, EVENT_NAMES),
      event_params: [
        ...ga4SessionParams(next, session),
        ga4Param('firebase_screen_class', {
          string_value: pick(next, ['MainActivity', 'Paywall', 'Ünïcødé "q"']),
        }),
        ga4Param('firebase_screen_id', {
          int_value: String(-Math.floor(next() * 9e15) - 9e15),
        }),
        ga4Param('score', { double_value: Math.round(next() * 1e6) / 1000 }),
      ],
      event_bundle_sequence_id: String(Math.floor(i / 20)),
      user_id: user % 3 === 0 ? `${userPrefix}-user-${user}` : null,
      user_pseudo_id: `${userPrefix}.${user}`,
      user_first_touch_timestamp: String(timestamp - Math.floor(next() * 1e11)),
      device: {
        category: 'mobile',
        mobile_model_name: model,
        mobile_marketing_name: marketing,
        operating_system: os,
        operating_system_version: osVersion,
      },
      geo: { city, region, country, continent, metro: '(not set)' },
      app_info: {
        id: 'com.example.app',
        version: `2.${Math.floor(next() * 10)}.${Math.floor(next() * 30)}`,
      },
      stream_id: platform === 'IOS' ? '5976585638' : '5976585639',
      platform: next() < 0.2 ? platform.toLowerCase() : platform,
      batch_event_index: String(i % 20),
      batch_ordering_id: String(Math.floor(i / 20)),
    };
  }
}

/** A GA4 export ZIP of one pretty-printed array entry. */
export const ga4ExportZip = (options: Ga4ExportOptions): Promise<Buffer> =>
  zipOf({
    [`export/events_${options.seed}.json`]: prettyArray([
      ...ga4ExportEvents(options),
    ]),
  });
