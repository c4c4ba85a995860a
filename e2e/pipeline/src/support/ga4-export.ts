import JSZip from 'jszip';
import { pick, seededRandom } from './seeded-random';

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
const PLACES = [
  ['Istanbul', 'Istanbul', 'Turkey'],
  ['Berlin', 'Berlin', 'Germany'],
  ['(not set)', '(not set)', 'Japan'],
  ['São Paulo', 'State of São Paulo', 'Brazil'],
] as const;
const DEVICES = [
  ['ANDROID', 'SM-G991B', 'Galaxy S21 5G', 'Android 13', 'android'],
  ['IOS', 'iPhone14,5', 'iPhone 13', 'iOS 17.1', 'ios'],
] as const;

const param = (key: string, value: Record<string, unknown>) => ({
  key,
  value: {
    string_value: null,
    int_value: null,
    float_value: null,
    double_value: null,
    ...value,
  },
});

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
    const [platform, model, marketing, osVersion, lower] = pick(next, DEVICES);
    const [city, region, country] = pick(next, PLACES);
    const session = Math.floor(timestamp / 1e6);
    yield {
      event_date: new Date(timestamp / 1000)
        .toISOString()
        .slice(0, 10)
        .replace(/-/g, ''),
      event_timestamp: next() < 0.5 ? String(timestamp) : timestamp,
      event_name: pick(next, EVENT_NAMES),
      event_params: [
        param('ga_session_id', {
          int_value: next() < 0.5 ? String(session) : session,
        }),
        param('engagement_time_msec', {
          int_value: Math.floor(next() * 60000),
        }),
        param('firebase_screen_class', {
          string_value: pick(next, ['MainActivity', 'Paywall', 'Ünïcødé "q"']),
        }),
        param('firebase_screen_id', {
          int_value: String(-Math.floor(next() * 9e15) - 9e15),
        }),
        param('score', { double_value: Math.round(next() * 1e6) / 1000 }),
      ],
      event_bundle_sequence_id: String(Math.floor(i / 20)),
      user_id: user % 3 === 0 ? `${userPrefix}-user-${user}` : null,
      user_pseudo_id: `${userPrefix}.${user}`,
      user_first_touch_timestamp: String(timestamp - Math.floor(next() * 1e11)),
      device: {
        category: 'mobile',
        mobile_model_name: model,
        mobile_marketing_name: marketing,
        operating_system: platform === 'IOS' ? 'iOS' : 'Android',
        operating_system_version: osVersion,
      },
      geo: { city, region, country, continent: 'x', metro: '(not set)' },
      app_info: {
        id: 'com.example.app',
        version: `2.${Math.floor(next() * 10)}.${Math.floor(next() * 30)}`,
      },
      stream_id: platform === 'IOS' ? '5976585638' : '5976585639',
      platform: next() < 0.2 ? lower : platform,
      batch_event_index: String(i % 20),
      batch_ordering_id: String(Math.floor(i / 20)),
    };
  }
}

/** A JSON array of events, pretty-printed with tabs as the GA4 export writes it. */
export const prettyJsonArray = (events: Iterable<Ga4Event>): string =>
  JSON.stringify([...events], null, '\t');

export const ndjson = (events: Iterable<Ga4Event>): string =>
  [...events].map((event) => JSON.stringify(event)).join('\n') + '\n';

/** A ZIP of the given entries, deflated; a null content makes a folder. */
export const zipOf = (
  entries: Record<string, string | Buffer | null>,
): Promise<Buffer> => {
  const zip = new JSZip();
  for (const [name, content] of Object.entries(entries)) {
    if (content === null) zip.folder(name);
    else zip.file(name, content);
  }
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
};

/** A GA4 export ZIP of one pretty-printed array entry. */
export const ga4ExportZip = (options: Ga4ExportOptions): Promise<Buffer> =>
  zipOf({
    [`export/events_${options.seed}.json`]: prettyJsonArray(
      ga4ExportEvents(options),
    ),
  });
