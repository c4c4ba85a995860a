/** Header names of the Adapty event column, in order of preference. */
export const ADAPTY_EVENT_COLUMNS = ['event_type', 'event_name'] as const;

/** Header names of the user id, in the contract's order of precedence. */
export const ADAPTY_USER_ID_COLUMNS = [
  'customer_user_id',
  'profile_id',
  'user_id',
] as const;

/**
 * Where each column the mapping reads sits in an Adapty CSV row, -1 when the
 * header lacks it. Both layouts (Adapty's export and the case layout) and any
 * new columns resolve to this one shape.
 */
export interface AdaptyColumns {
  /** Fields every row must have: the header's field count. */
  count: number;
  /** Header names, trimmed and lower-cased. */
  names: string[];
  eventName: number;
  eventDatetime: number;
  /** User id columns, in order of precedence. */
  userIds: number[];
  transactionId: number;
  productId: number;
  vendorProductId: number;
  proceedsUsd: number;
  profileTotalRevenueUsd: number;
  cancellationReason: number;
  /** Columns that go to event_parameters (a row also leaves out the user id column it used). */
  parameters: number[];
}

export const normaliseHeaderName = (name: string): string =>
  name.trim().toLowerCase();

/** True when a CSV header names an Adapty event column: the file is Adapty's. */
export const namesAdaptyEventColumn = (fields: readonly string[]): boolean =>
  fields.some((field) =>
    (ADAPTY_EVENT_COLUMNS as readonly string[]).includes(
      normaliseHeaderName(field),
    ),
  );

/**
 * Resolves an Adapty header to column positions, or says which required
 * columns it lacks. The first of two columns with the same name wins.
 */
export const readAdaptyHeader = (
  fields: readonly string[],
): AdaptyColumns | { missing: string[] } => {
  const names = fields.map(normaliseHeaderName);
  const at = (name: string) => names.indexOf(name);
  const eventName =
    ADAPTY_EVENT_COLUMNS.map(at).find((index) => index >= 0) ?? -1;
  const userIds = ADAPTY_USER_ID_COLUMNS.map(at).filter((index) => index >= 0);
  const missing = [
    ...(eventName < 0 ? [ADAPTY_EVENT_COLUMNS.join(' or ')] : []),
    ...(at('event_datetime') < 0 ? ['event_datetime'] : []),
    ...(userIds.length === 0 ? [ADAPTY_USER_ID_COLUMNS.join(' or ')] : []),
  ];
  if (missing.length > 0) return { missing };
  const columns = {
    eventName,
    eventDatetime: at('event_datetime'),
    proceedsUsd: at('proceeds_usd'),
    profileTotalRevenueUsd: at('profile_total_revenue_usd'),
    cancellationReason: at('cancellation_reason'),
  };
  // Every column mapped to its own unified_events column stays out of event_parameters.
  const mapped = new Set(Object.values(columns));
  return {
    ...columns,
    count: names.length,
    names,
    userIds,
    transactionId: at('transaction_id'),
    productId: at('product_id'),
    vendorProductId: at('vendor_product_id'),
    parameters: names
      .map((name, index) => ({ name, index }))
      .filter(
        ({ name, index }) =>
          name !== '' && !mapped.has(index) && at(name) === index,
      )
      .map(({ index }) => index),
  };
};
