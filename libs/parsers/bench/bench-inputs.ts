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
import {
  ADAPTY_EVENT_TYPES,
  ADAPTY_EXPORT_HEADER,
  ADAPTY_SUBSCRIPTION_PRODUCTS,
  adaptyExportDatetime,
  adaptyTotalRevenue,
  isPaidAdaptyEvent,
} from '../src/testing/adapty-export-tables';
import {
  GA4_DEVICES,
  GA4_PLACES,
  ga4EventDate,
  ga4Param,
  ga4SessionParams,
} from '../src/testing/ga4-export-tables';
import { hex, pick, seededRandom } from '../src/testing/seeded-random';

/** Inputs are made once per shape and kept here between runs. */
export const BENCH_DIR = join(tmpdir(), 'event-pipeline-parsers-bench');

/** Separates the baseline's events: a byte no JSON text contains unescaped. */
export const RECORD_SEPARATOR = '\x1e';

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
/** GA4 export events as Google writes them, varied enough to compress like real ones. */
export function* ga4Events(seed = 1): Generator<Record<string, unknown>> {
  const next = seededRandom(seed);
  const users = Array.from(
    { length: 5000 },
    () => `${hex(next, 10)}.${1690000000 + Math.floor(next() * 1e6)}`,
  );
  let timestamp = 1_700_000_000_000_000;
  for (let i = 0; ; i++) {
    timestamp += Math.floor(next() * 5_000_000);
    const [platform, brand, model, marketing, os, osVersion] = pick(
      next,
      GA4_DEVICES,
    );
    const [city, region, country, continent, subContinent] = pick(
      next,
      GA4_PLACES,
    );
    const userIndex = Math.floor(next() * users.length);
    const session = Math.floor(timestamp / 1e6) - Math.floor(next() * 600);
    yield {
      event_date: ga4EventDate(timestamp),
      event_timestamp: String(timestamp),
      event_name: pick(next, EVENT_NAMES),
      event_params: [
        ...ga4SessionParams(next, session),
        ga4Param('firebase_screen_class', {
          string_value: pick(next, SCREENS),
        }),
        ga4Param('firebase_screen_id', {
          int_value: String(-Math.floor(next() * 9e15)),
        }),
        ga4Param('score', { double_value: Math.round(next() * 1e6) / 1000 }),
        ...(next() < 0.3
          ? [ga4Param('search_term', { string_value: hex(next, 8) })]
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
 * Pretty-printed JSON array text of generated events, one event at a time,
 * until `enough` holds for what is written; `separator` (not counted) goes
 * before each event.
 */
export function* prettyGa4Array(
  facts: Ga4InputFacts,
  enough: (written: Ga4InputFacts) => boolean,
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
    if (enough(facts)) break;
  }
  yield json('\n]\n');
}

/** Writes the file at `path` through a temporary one, unless it is there already. */
export const writeOnce = async (
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

/** Streams `texts` into the one entry of a GA4 export ZIP, so the JSON is never held. */
export const writeGa4Zip = (
  path: string,
  texts: Iterable<string>,
): Promise<void> => {
  const zip = new JSZip();
  zip.file('export/events_000000000000.json', Readable.from(texts), {
    binary: true,
  });
  return pipeline(
    zip.generateNodeStream({
      streamFiles: true,
      compression: 'DEFLATE',
      compressionOptions: { level: 6 },
    }),
    createWriteStream(path),
  );
};

/**
 * A GA4 export ZIP holding one pretty-printed array entry of about
 * `bytes` uncompressed bytes.
 */
export const ga4Zip = async (
  bytes: number,
): Promise<{ path: string; facts: Ga4InputFacts }> => {
  const factsPath = join(BENCH_DIR, `ga4-${bytes}.facts.json`);
  const path = await writeOnce(
    join(BENCH_DIR, `ga4-${bytes}.zip`),
    async (temporary) => {
      const facts = { jsonBytes: 0, events: 0 };
      await writeGa4Zip(
        temporary,
        prettyGa4Array(facts, (written) => written.jsonBytes >= bytes),
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
        prettyGa4Array(
          { jsonBytes: 0, events: 0 },
          (written) => written.jsonBytes >= bytes,
          RECORD_SEPARATOR,
        ),
      ),
      createWriteStream(path),
    ),
  );

const PRODUCTS = [
  ...ADAPTY_SUBSCRIPTION_PRODUCTS,
  ['coins.pack100', '0.99', '0.69'],
] as const;

function* adaptyRows(rows: number): Generator<string> {
  const next = seededRandom(2);
  let time = Date.UTC(2023, 10, 1);
  yield `${ADAPTY_EXPORT_HEADER}\n`;
  let batch: string[] = [];
  for (let i = 0; i < rows; i++) {
    time += Math.floor(next() * 30_000);
    const type = pick(next, ADAPTY_EVENT_TYPES);
    const [product, revenue, proceeds] = pick(next, PRODUCTS);
    const paid = isPaidAdaptyEvent(type);
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
        adaptyExportDatetime(time, next),
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
        adaptyTotalRevenue(next, paid),
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
  const next = seededRandom(3);
  let time = Date.UTC(2023, 10, 1);
  yield 'user_id,Event_Name,event_datetime,vendor_product_id,proceeds_usd,profile_total_revenue_usd,cancellation_reason\n';
  let batch: string[] = [];
  for (let i = 0; i < rows; i++) {
    time += Math.floor(next() * 30_000);
    const date = new Date(time);
    const hour = date.getUTCHours();
    const when = `"${MONTHS[date.getUTCMonth()]} ${date.getUTCDate()}, ${date.getUTCFullYear()}, ${String(hour % 12 || 12).padStart(2, '0')}:${String(date.getUTCMinutes()).padStart(2, '0')} ${hour < 12 ? 'AM' : 'PM'}"`;
    const type = pick(next, ADAPTY_EVENT_TYPES);
    const [product, , proceeds] = pick(next, PRODUCTS);
    const paid = isPaidAdaptyEvent(type);
    const reason =
      type === 'subscription_cancelled'
        ? 'voluntarily_cancelled'
        : type === 'subscription_refunded'
          ? 'billing_error'
          : '';
    const total = adaptyTotalRevenue(next, paid);
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
