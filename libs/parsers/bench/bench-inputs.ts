import {
  createWriteStream,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import JSZip from 'jszip';

/** Inputs are made once per shape and kept here between runs. */
export const BENCH_DIR = join(tmpdir(), 'event-pipeline-parsers-bench');

/** Separates the baseline's events: a byte no JSON text contains unescaped. */
export const RECORD_SEPARATOR = '\x1e';

/** A small seeded generator, so every run measures the same bytes. */
const random = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

const pick = <T>(next: () => number, values: readonly T[]): T =>
  values[Math.floor(next() * values.length)];

const hex = (next: () => number, length: number) =>
  Array.from({ length }, () => Math.floor(next() * 16).toString(16)).join('');

const EVENT_NAMES = [
  'screen_view',
  'user_engagement',
  'session_start',
  'ad_impression',
  'purchase',
  'first_open',
  'paywall_shown',
  'app_update',
];
const SCREENS = [
  'MainActivity',
  'Paywall',
  'Settings',
  'Onboarding',
  'Profile',
  'Ünïcødé "quoted"',
  'Search [beta]',
];
const PLACES = [
  ['Istanbul', 'Istanbul', 'Turkey', 'Asia', 'Western Asia'],
  ['Berlin', 'Berlin', 'Germany', 'Europe', 'Western Europe'],
  ['New York', 'New York', 'United States', 'Americas', 'Northern America'],
  ['(not set)', '(not set)', 'Japan', 'Asia', 'Eastern Asia'],
  ['São Paulo', 'State of São Paulo', 'Brazil', 'Americas', 'South America'],
] as const;
const DEVICES = [
  ['ANDROID', 'Samsung', 'SM-G991B', 'Galaxy S21 5G', 'Android', 'Android 13'],
  ['ANDROID', 'Google', 'Pixel 7', 'Pixel 7', 'Android', 'Android 14'],
  ['IOS', 'Apple', 'iPhone14,5', 'iPhone 13', 'iOS', 'iOS 17.1'],
  ['IOS', 'Apple', 'iPhone12,1', 'iPhone 11', 'iOS', 'iOS 16.6.1'],
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

/** GA4 export events as Google writes them, varied enough to compress like real ones. */
export function* ga4Events(seed = 1): Generator<Record<string, unknown>> {
  const next = random(seed);
  const users = Array.from(
    { length: 5000 },
    () => `${hex(next, 10)}.${1690000000 + Math.floor(next() * 1e6)}`,
  );
  let timestamp = 1_700_000_000_000_000;
  for (let i = 0; ; i++) {
    timestamp += Math.floor(next() * 5_000_000);
    const [platform, brand, model, marketing, os, osVersion] = pick(
      next,
      DEVICES,
    );
    const [city, region, country, continent, subContinent] = pick(next, PLACES);
    const userIndex = Math.floor(next() * users.length);
    const session = Math.floor(timestamp / 1e6) - Math.floor(next() * 600);
    yield {
      event_date: new Date(timestamp / 1000)
        .toISOString()
        .slice(0, 10)
        .replace(/-/g, ''),
      event_timestamp: String(timestamp),
      event_name: pick(next, EVENT_NAMES),
      event_params: [
        param('ga_session_id', {
          int_value: next() < 0.5 ? String(session) : session,
        }),
        param('engagement_time_msec', {
          int_value: Math.floor(next() * 60000),
        }),
        param('firebase_screen_class', { string_value: pick(next, SCREENS) }),
        param('firebase_screen_id', {
          int_value: String(-Math.floor(next() * 9e15)),
        }),
        param('score', { double_value: Math.round(next() * 1e6) / 1000 }),
        ...(next() < 0.3
          ? [param('search_term', { string_value: hex(next, 8) })]
          : []),
      ],
      event_previous_timestamp: String(timestamp - Math.floor(next() * 1e9)),
      event_value_in_usd:
        next() < 0.05 ? Math.round(next() * 10000) / 100 : null,
      event_bundle_sequence_id: String(Math.floor(next() * 2000)),
      event_server_timestamp_offset: String(Math.floor(next() * 10000)),
      user_id:
        userIndex % 3 === 0
          ? `user-${String(userIndex).padStart(6, '0')}`
          : null,
      user_pseudo_id: users[userIndex],
      privacy_info: {
        analytics_storage: 'Yes',
        ads_storage: next() < 0.5 ? 'Yes' : 'No',
        uses_transient_token: 'No',
      },
      user_properties: [
        {
          key: 'first_open_time',
          value: {
            string_value: null,
            int_value: String(Math.floor(timestamp / 1000) - 3600000),
            float_value: null,
            double_value: null,
            set_timestamp_micros: String(timestamp - 3_600_000_000),
          },
        },
        {
          key: 'plan',
          value: {
            string_value: pick(next, ['free', 'trial', 'pro']),
            int_value: null,
            float_value: null,
            double_value: null,
            set_timestamp_micros: String(timestamp),
          },
        },
      ],
      user_first_touch_timestamp: String(timestamp - Math.floor(next() * 1e11)),
      user_ltv: null,
      device: {
        category: 'mobile',
        mobile_brand_name: brand,
        mobile_model_name: model,
        mobile_marketing_name: marketing,
        mobile_os_hardware_model: model,
        operating_system: os,
        operating_system_version: osVersion,
        vendor_id: null,
        advertising_id:
          next() < 0.2
            ? `${hex(next, 8)}-${hex(next, 4)}-${hex(next, 4)}-${hex(next, 12)}`
            : null,
        language: pick(next, ['en-us', 'tr-tr', 'de-de', 'ja-jp', 'pt-br']),
        is_limited_ad_tracking: 'No',
        time_zone_offset_seconds: String(
          pick(next, [10800, 3600, -18000, 32400, -10800]),
        ),
        browser: null,
        browser_version: null,
        web_info: null,
      },
      geo: {
        city,
        country,
        continent,
        region,
        sub_continent: subContinent,
        metro: '(not set)',
      },
      app_info: {
        id: 'com.example.app',
        version: `2.${Math.floor(next() * 10)}.${Math.floor(next() * 30)}`,
        install_store: null,
        firebase_app_id: `1:1234:${platform.toLowerCase()}:abcd`,
        install_source:
          platform === 'IOS' ? 'manual_install' : 'com.android.vending',
      },
      traffic_source: {
        name: '(direct)',
        medium: '(none)',
        source: '(direct)',
      },
      stream_id: platform === 'IOS' ? '5976585638' : '5976585639',
      platform,
      event_dimensions: null,
      ecommerce: null,
      items: [],
      batch_event_index: String(i % 50),
      batch_ordering_id: String(Math.floor(i / 50)),
      batch_page_id: null,
    };
  }
}

/** What a generated GA4 input holds, for the throughput figures. */
export interface Ga4InputFacts {
  jsonBytes: number;
  events: number;
}

/**
 * Pretty-printed JSON array text of about `bytes` bytes, one event at a time;
 * `separator` (not counted) goes before each event.
 */
function* prettyArray(
  bytes: number,
  facts: Ga4InputFacts,
  separator = '',
): Generator<string> {
  const json = (text: string) => {
    facts.jsonBytes += Buffer.byteLength(text);
    return text;
  };
  yield json('[\n');
  for (const event of ga4Events()) {
    const comma = facts.events === 0 ? '' : json(',\n');
    yield `${comma}${separator}${json(JSON.stringify(event, null, '\t'))}`;
    facts.events++;
    if (facts.jsonBytes >= bytes) break;
  }
  yield json('\n]\n');
}

const writeOnce = async (
  path: string,
  write: (temporary: string) => Promise<void>,
) => {
  if (existsSync(path)) return path;
  mkdirSync(BENCH_DIR, { recursive: true });
  const temporary = `${path}.partial`;
  await write(temporary);
  renameSync(temporary, path);
  return path;
};

/**
 * A GA4 export ZIP holding one pretty-printed array entry of about
 * `bytes` uncompressed bytes, written as a stream so the JSON is never held.
 */
export const ga4Zip = async (
  bytes: number,
): Promise<{ path: string; facts: Ga4InputFacts }> => {
  const factsPath = join(BENCH_DIR, `ga4-${bytes}.facts.json`);
  const path = await writeOnce(
    join(BENCH_DIR, `ga4-${bytes}.zip`),
    async (temporary) => {
      const facts = { jsonBytes: 0, events: 0 };
      const zip = new JSZip();
      zip.file(
        'export/events_000000000000.json',
        Readable.from(prettyArray(bytes, facts)),
        { binary: true },
      );
      await pipeline(
        zip.generateNodeStream({
          streamFiles: true,
          compression: 'DEFLATE',
          compressionOptions: { level: 6 },
        }),
        createWriteStream(temporary),
      );
      writeFileSync(factsPath, JSON.stringify(facts));
    },
  );
  return {
    path,
    facts: JSON.parse(readFileSync(factsPath, 'utf8')) as Ga4InputFacts,
  };
};

/** The same events, pretty-printed, one after another with a record separator before each: the JSON.parse baseline's input. */
export const ga4Records = (bytes: number): Promise<string> =>
  writeOnce(join(BENCH_DIR, `ga4-${bytes}.records`), (path) =>
    pipeline(
      Readable.from(
        prettyArray(bytes, { jsonBytes: 0, events: 0 }, RECORD_SEPARATOR),
      ),
      createWriteStream(path),
    ),
  );

const ADAPTY_HEADER =
  'profile_id,event_type,event_datetime,transaction_id,original_transaction_id,subscription_expires_at,environment,revenue_usd,proceeds_usd,net_revenue_usd,customer_user_id,store,product_id,profile_country,cancellation_reason,currency,attributes,profile_total_revenue_usd';
const ADAPTY_TYPES = [
  'trial_started',
  'trial_converted',
  'subscription_renewed',
  'subscription_renewed',
  'subscription_cancelled',
  'subscription_expired',
  'non_subscription_purchase',
  'billing_issue_detected',
  'subscription_refunded',
];
const PRODUCTS = [
  ['pro.weekly', '2.99', '2.09'],
  ['premium.monthly', '9.99', '6.99'],
  ['premium.yearly', '59.99', '41.99'],
  ['coins.pack100', '0.99', '0.69'],
] as const;

function* adaptyRows(rows: number): Generator<string> {
  const next = random(2);
  let time = Date.UTC(2023, 10, 1);
  yield `${ADAPTY_HEADER}\n`;
  let batch: string[] = [];
  for (let i = 0; i < rows; i++) {
    time += Math.floor(next() * 30_000);
    const type = pick(next, ADAPTY_TYPES);
    const [product, revenue, proceeds] = pick(next, PRODUCTS);
    const paid =
      type === 'trial_converted' ||
      type === 'subscription_renewed' ||
      type === 'non_subscription_purchase';
    const transaction = String(10_000_000_000_000 + Math.floor(next() * 1e14));
    const customer =
      next() < 0.9
        ? `user-${String(Math.floor(next() * 200_000)).padStart(6, '0')}`
        : '';
    const reason =
      type === 'subscription_cancelled'
        ? pick(next, ['voluntarily_cancelled', 'billing_error', 'unknown'])
        : type === 'subscription_refunded'
          ? 'billing_error'
          : '';
    const attributes =
      next() < 0.7
        ? `"{""plan"": ""${pick(next, ['a,b', 'c', 'd,e,f'])}"", ""note"": ""${hex(next, 6)}""}"`
        : '';
    batch.push(
      [
        `${hex(next, 8)}-${hex(next, 4)}-${hex(next, 4)}-${hex(next, 4)}-${hex(next, 12)}`,
        type,
        `${new Date(time).toISOString().slice(0, 19)}.${String(Math.floor(next() * 1e6)).padStart(6, '0')}+0000`,
        transaction,
        transaction,
        '',
        'Production',
        paid ? revenue : '',
        paid ? proceeds : '',
        '',
        customer,
        pick(next, ['app_store', 'play_store']),
        product,
        pick(next, ['TR', 'US', 'DE', 'JP', 'BR']),
        reason,
        'USD',
        attributes,
        paid || next() < 0.2
          ? `${Math.floor(next() * 500)}.${String(Math.floor(next() * 100)).padStart(2, '0')}`
          : '',
      ].join(','),
    );
    if (batch.length === 1000) {
      yield `${batch.join('\n')}\n`;
      batch = [];
    }
  }
  if (batch.length > 0) yield `${batch.join('\n')}\n`;
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** The case layout: `Month D, YYYY, HH:MM AM` dates, quoted for their commas. */
function* caseLayoutRows(rows: number): Generator<string> {
  const next = random(3);
  let time = Date.UTC(2023, 10, 1);
  yield 'user_id,Event_Name,event_datetime,vendor_product_id,proceeds_usd,profile_total_revenue_usd,cancellation_reason\n';
  let batch: string[] = [];
  for (let i = 0; i < rows; i++) {
    time += Math.floor(next() * 30_000);
    const date = new Date(time);
    const hour = date.getUTCHours();
    const when = `"${MONTHS[date.getUTCMonth()]} ${date.getUTCDate()}, ${date.getUTCFullYear()}, ${String(hour % 12 || 12).padStart(2, '0')}:${String(date.getUTCMinutes()).padStart(2, '0')} ${hour < 12 ? 'AM' : 'PM'}"`;
    const type = pick(next, ADAPTY_TYPES);
    const [product, , proceeds] = pick(next, PRODUCTS);
    const paid =
      type === 'trial_converted' ||
      type === 'subscription_renewed' ||
      type === 'non_subscription_purchase';
    const reason =
      type === 'subscription_cancelled'
        ? 'voluntarily_cancelled'
        : type === 'subscription_refunded'
          ? 'billing_error'
          : '';
    const total =
      paid || next() < 0.2
        ? `${Math.floor(next() * 500)}.${String(Math.floor(next() * 100)).padStart(2, '0')}`
        : '';
    batch.push(
      [
        `user-${String(Math.floor(next() * 200_000)).padStart(6, '0')}`,
        type,
        when,
        product,
        paid ? proceeds : '',
        total,
        reason,
      ].join(','),
    );
    if (batch.length === 1000) {
      yield `${batch.join('\n')}\n`;
      batch = [];
    }
  }
  if (batch.length > 0) yield `${batch.join('\n')}\n`;
}

/** A case layout CSV of `rows` data rows. */
export const caseLayoutCsv = (rows: number): Promise<string> =>
  writeOnce(join(BENCH_DIR, `adapty-case-${rows}.csv`), (path) =>
    pipeline(Readable.from(caseLayoutRows(rows)), createWriteStream(path)),
  );

/** An Adapty export CSV of `rows` data rows. */
export const adaptyCsv = (rows: number): Promise<string> =>
  writeOnce(join(BENCH_DIR, `adapty-${rows}.csv`), (path) =>
    pipeline(Readable.from(adaptyRows(rows)), createWriteStream(path)),
  );
