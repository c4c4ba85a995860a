import {
  ADAPTY_EVENT_TYPES,
  ADAPTY_EXPORT_HEADER,
  ADAPTY_SUBSCRIPTION_PRODUCTS,
  adaptyExportDatetime,
  adaptyTotalRevenue,
  hex,
  isPaidAdaptyEvent,
  pick,
  seededRandom,
} from '@event-pipeline/parsers/testing';

export interface AdaptyExportOptions {
  seed: number;
  rows: number;
  /** Users are `<userPrefix>-<n>`; a tenth of rows have no customer_user_id. */
  userPrefix: string;
  users: number;
  /**
   * Every `badEvery`-th row gets a date or a decimal no parser may accept,
   * to make row errors spread through the file.
   */
  badEvery?: number;
}

const TYPES = [...ADAPTY_EVENT_TYPES, 'entered_grace_period'];

/** Data rows of Adapty's own export layout, in file order. */
export function* adaptyExportRows({
  seed,
  rows,
  userPrefix,
  users,
  badEvery,
}: AdaptyExportOptions): Generator<string> {
  const next = seededRandom(seed);
  let time = Date.UTC(2023, 10, 1) + seed * 86_400_000;
  for (let i = 1; i <= rows; i++) {
    time += 1 + Math.floor(next() * 60_000);
    const type = pick(next, TYPES);
    const [product, revenue, proceeds] = pick(
      next,
      ADAPTY_SUBSCRIPTION_PRODUCTS,
    );
    const paid = isPaidAdaptyEvent(type);
    const user = Math.floor(next() * users);
    const transaction = String(10_000_000_000_000 + i * 1000 + seed);
    const bad = badEvery !== undefined && i % badEvery === 0;
    const date = adaptyExportDatetime(time, next);
    yield [
      `${userPrefix}-p${user}`,
      type,
      bad && i % (2 * badEvery) === 0 ? 'not a date' : date,
      transaction,
      transaction,
      '',
      'Production',
      paid ? revenue : '',
      bad && i % (2 * badEvery) !== 0 ? '"4,99"' : paid ? proceeds : '',
      '',
      next() < 0.9 ? `${userPrefix}-${user}` : '',
      pick(next, ['app_store', 'play_store']),
      product,
      'TR',
      type === 'subscription_cancelled' ? 'voluntarily_cancelled' : '',
      'USD',
      next() < 0.5 ? `"{""plan"": ""a,b"", ""n"": ""${hex(next, 4)}""}"` : '',
      adaptyTotalRevenue(next, paid),
    ].join(',');
  }
}

/** A whole Adapty export CSV, header first, LF line ends. */
export const adaptyExportCsv = (options: AdaptyExportOptions): string =>
  [ADAPTY_EXPORT_HEADER, ...adaptyExportRows(options)].join('\n') + '\n';
