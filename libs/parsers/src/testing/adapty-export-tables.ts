/** The header of Adapty's own export layout. */
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

/** Event types, renewals twice so that they come up as often as in real exports. */
export const ADAPTY_EVENT_TYPES = [
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

/** product, revenue_usd, proceeds_usd */
export const ADAPTY_SUBSCRIPTION_PRODUCTS = [
  ['pro.weekly', '2.99', '2.09'],
  ['premium.monthly', '9.99', '6.99'],
  ['premium.yearly', '59.99', '41.99'],
] as const;

const PAID_TYPES = new Set([
  'trial_converted',
  'subscription_renewed',
  'non_subscription_purchase',
]);

/** Whether an event of this type carries revenue and proceeds. */
export const isPaidAdaptyEvent = (type: string): boolean =>
  PAID_TYPES.has(type);

/** An event_datetime as Adapty's export writes it: microseconds and a +0000 offset. */
export const adaptyExportDatetime = (time: number, next: () => number) =>
  `${new Date(time).toISOString().slice(0, 19)}.${String(Math.floor(next() * 1e6)).padStart(6, '0')}+0000`;

/** A profile's total revenue: always after a payment, on a fifth of the other rows. */
export const adaptyTotalRevenue = (next: () => number, paid: boolean) =>
  paid || next() < 0.2
    ? `${Math.floor(next() * 500)}.${String(Math.floor(next() * 100)).padStart(2, '0')}`
    : '';
