import { readFile } from 'node:fs/promises';
import {
  ADAPTY_EXPORT_HEADER,
  ndjson,
  prettyArray,
  seededRandom,
  zipOf,
} from '@event-pipeline/parsers/testing';
import { ga4ExportEvents } from './ga4-export';
import { samplePath } from './paths';

const events = (seed: number, count: number, prefix = `bad${seed}`) => [
  ...ga4ExportEvents({ seed, events: count, userPrefix: prefix, users: 5 }),
];

/** Bytes that start like a ZIP and are nothing of the kind. */
export const corruptZip = (): Buffer => {
  const next = seededRandom(7);
  const noise = Buffer.from(
    Array.from({ length: 4096 }, () => Math.floor(next() * 256)),
  );
  return Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), noise]);
};

/** A real GA4 export cut in half, as an interrupted copy leaves it. */
export const truncatedZip = async (): Promise<Buffer> => {
  const whole = await readFile(samplePath('ga4_export_day2.zip'));
  return whole.subarray(0, Math.floor(whole.length / 2));
};

/** A CSV that names no Adapty event column. */
export const unknownLayoutCsv = (): string =>
  'id,name,amount\n1,alpha,2.50\n2,beta,3.75\n';

const adaptyRow = (
  line: number,
  overrides: Partial<Record<string, string>> = {},
) => {
  const fields: Record<string, string> = {
    profile_id: `broken-p${line}`,
    event_type: 'subscription_renewed',
    event_datetime: `2024-02-${String(line).padStart(2, '0')}T10:00:00.000000+0000`,
    transaction_id: String(9_000_000 + line),
    original_transaction_id: String(9_000_000 + line),
    subscription_expires_at: '',
    environment: 'Production',
    revenue_usd: '9.99',
    proceeds_usd: '6.99',
    net_revenue_usd: '',
    customer_user_id: `broken-user-${line}`,
    store: 'app_store',
    product_id: 'premium.monthly',
    profile_country: 'DE',
    cancellation_reason: '',
    currency: 'USD',
    attributes: '',
    profile_total_revenue_usd: '19.98',
    ...overrides,
  };
  return ADAPTY_EXPORT_HEADER.split(',')
    .map((name) => fields[name])
    .join(',');
};

/** An Adapty export whose broken rows are at known lines; every other row is good. */
export const brokenRowsCsv = (): {
  content: string;
  goodRows: number;
  broken: { line: number; code: string }[];
} => {
  const lines = [
    ADAPTY_EXPORT_HEADER,
    adaptyRow(2),
    adaptyRow(3),
    adaptyRow(4, { event_datetime: '2024-13-45T99:00:00Z' }),
    adaptyRow(5),
    adaptyRow(6, { proceeds_usd: '"4,99"' }),
    adaptyRow(7).split(',').slice(0, 12).join(','),
    adaptyRow(8),
    // An opening quote that never closes; no quote follows in the file.
    adaptyRow(9, { store: '"app_store' }),
    adaptyRow(10),
    adaptyRow(11),
  ];
  return {
    content: `${lines.join('\n')}\n`,
    goodRows: 6,
    broken: [
      { line: 4, code: 'INVALID_DATETIME' },
      { line: 6, code: 'INVALID_DECIMAL' },
      { line: 7, code: 'MALFORMED_ROW' },
      { line: 9, code: 'MALFORMED_ROW' },
    ],
  };
};

/**
 * A GA4 ZIP with a good entry, an entry cut in the middle of an element
 * (the events before the cut load), an entry of an unsupported kind, and
 * the folder and junk entries a Mac archive holds (skipped silently).
 */
export const brokenEntriesZip = async (): Promise<{
  content: Buffer;
  goodEvents: number;
  cutEntry: string;
  eventsBeforeCut: number;
  unsupportedEntry: string;
}> => {
  const cut = prettyArray(events(21, 5));
  // Elements of a tab-indented array start on a line of their own.
  const fourthElement = [...cut.matchAll(/\n\t\{/g)][3].index;
  const content = await zipOf({
    'export/': null,
    'export/events_good.json': prettyArray(events(20, 5)),
    'export/events_cut.json': cut.slice(0, fourthElement + 200),
    'export/readme.txt': 'exported by hand\n',
    '__MACOSX/export/._events_good.json': 'junk',
  });
  return {
    content,
    goodEvents: 5 + 3,
    cutEntry: 'export/events_cut.json',
    eventsBeforeCut: 3,
    unsupportedEntry: 'export/readme.txt',
  };
};

/** An entry past the entry limit beside a small one; `limit` is MAX_ENTRY_BYTES. */
export const oversizedEntryZip = async (
  limit: number,
): Promise<{
  content: Buffer;
  bigEntry: string;
  bigEvents: number;
  smallEvents: number;
}> => {
  const big = events(30, 200);
  const text = prettyArray(big);
  if (Buffer.byteLength(text) <= 2 * limit) {
    throw new Error(`the big entry must be well past ${limit} bytes`);
  }
  return {
    content: await zipOf({
      'export/big.json': text,
      'export/small.ndjson': ndjson(events(31, 3)),
    }),
    bigEntry: 'export/big.json',
    bigEvents: big.length,
    smallEvents: 3,
  };
};

/** An NDJSON entry whose second element is past the element limit `limit` (MAX_ELEMENT_BYTES). */
export const oversizedElementZip = async (
  limit: number,
): Promise<{
  content: Buffer;
  entry: string;
  index: number;
  goodEvents: number;
}> => {
  const [first, second, third] = events(40, 3);
  const wide = {
    ...second,
    event_params: [
      { key: 'blob', value: { string_value: 'x'.repeat(limit * 2) } },
    ],
  };
  return {
    content: await zipOf({
      'export/wide.ndjson': ndjson([first, wide, third]),
    }),
    entry: 'export/wide.ndjson',
    index: 1,
    goodEvents: 2,
  };
};
