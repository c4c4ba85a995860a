import { pick, seededRandom } from './seeded-random';

export const ADAPTY_EXPORT_HEADER = [
  'profile_id',
  'event_type',
  'event_datetime',
  'transaction_id',
  'original_transaction_id',
  'subscription_expires_at',
  'environment',
  'revenue_usd',
  'proceeds_usd',
  'net_revenue_usd',
  'customer_user_id',
  'store',
  'product_id',
  'profile_country',
  'cancellation_reason',
  'currency',
  'attributes',
  'profile_total_revenue_usd',
].join(',');

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

const TYPES = [
  'trial_started',
  'trial_converted',
  'subscription_renewed',
  'subscription_renewed',
  'subscription_cancelled',
  'subscription_expired',
  'non_subscription_purchase',
  'billing_issue_detected',
  'subscription_refunded',
  'entered_grace_period',
];
const PRODUCTS = [
  ['pro.weekly', '2.99', '2.09'],
  ['premium.monthly', '9.99', '6.99'],
  ['premium.yearly', '59.99', '41.99'],
] as const;
const PAID = new Set([
  'trial_converted',
  'subscription_renewed',
  'non_subscription_purchase',
]);

const hex = (next: () => number, length: number) =>
  Array.from({ length }, () => Math.floor(next() * 16).toString(16)).join('');

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
    const [product, revenue, proceeds] = pick(next, PRODUCTS);
    const paid = PAID.has(type);
    const user = Math.floor(next() * users);
    const transaction = String(10_000_000_000_000 + i * 1000 + seed);
    const bad = badEvery !== undefined && i % badEvery === 0;
    const date = `${new Date(time).toISOString().slice(0, 19)}.${String(Math.floor(next() * 1e6)).padStart(6, '0')}+0000`;
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
      paid || next() < 0.2
        ? `${Math.floor(next() * 500)}.${String(Math.floor(next() * 100)).padStart(2, '0')}`
        : '',
    ].join(',');
  }
}

/** A whole Adapty export CSV, header first, LF line ends. */
export const adaptyExportCsv = (options: AdaptyExportOptions): string =>
  [ADAPTY_EXPORT_HEADER, ...adaptyExportRows(options)].join('\n') + '\n';
