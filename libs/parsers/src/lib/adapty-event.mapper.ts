import {
  CANCELLATION_STATES,
  ProfileChange,
  stateForAdaptyEvent,
} from '@event-pipeline/schema';
import { AdaptyColumns } from './adapty-columns';
import { ADAPTY_DATETIME_FORMS, parseAdaptyDatetime } from './adapty-datetime';
import { eventId } from './event-id';
import { canonicalDecimal } from './exact-decimal';
import { AdaptyParameters, RowBytes } from './adapty-parameters';
import { MappedEvent, RowOutcome, RowProblem, rowProblem } from './row-outcome';

const DECIMAL_FORM =
  'a plain decimal with at most 29 integer and 9 fractional digits, such as 41.99';

const CANCELLING = new Set(CANCELLATION_STATES);

const trimmed = (fields: readonly string[], index: number): string =>
  index < 0 ? '' : fields[index].trim();

/** A money column as an exact canonical decimal, null when empty. */
const decimalField = (
  fields: readonly string[],
  columns: AdaptyColumns,
  index: number,
): string | null | RowProblem => {
  const text = trimmed(fields, index);
  if (text === '') return null;
  return (
    canonicalDecimal(text) ??
    rowProblem(
      'INVALID_DECIMAL',
      `${columns.names[index]}: expected ${DECIMAL_FORM}, found ${JSON.stringify(text)}`,
    )
  );
};

/**
 * One Adapty CSV row (already split into as many fields as the header has)
 * to its unified event and profile change, per the data contract. `row`
 * says where the row's bytes are, for its event_parameters.
 */
export const mapAdaptyRow = (
  fields: readonly string[],
  row: RowBytes,
  columns: AdaptyColumns,
  sourceFile: string,
): RowOutcome => {
  const { names } = columns;
  const eventName = trimmed(fields, columns.eventName);
  if (eventName === '') {
    return rowProblem(
      'MISSING_FIELD',
      `${names[columns.eventName]} is empty; expected an Adapty event type such as subscription_renewed`,
    );
  }

  let userIdColumn = -1;
  let userId = '';
  for (const index of columns.userIds) {
    userId = trimmed(fields, index);
    if (userId !== '') {
      userIdColumn = index;
      break;
    }
  }
  if (userIdColumn < 0) {
    const tried = columns.userIds.map((index) => names[index]).join(', ');
    return rowProblem(
      'MISSING_FIELD',
      `no user id: expected a value in one of ${tried}, all are empty`,
    );
  }

  const datetimeText = fields[columns.eventDatetime];
  const eventDatetime = parseAdaptyDatetime(datetimeText);
  if (eventDatetime === null) {
    return rowProblem(
      'INVALID_DATETIME',
      `event_datetime: expected ${ADAPTY_DATETIME_FORMS}, found ${JSON.stringify(datetimeText)}`,
    );
  }

  const proceeds = decimalField(fields, columns, columns.proceedsUsd);
  if (typeof proceeds === 'object' && proceeds !== null) return proceeds;
  const revenue = decimalField(fields, columns, columns.profileTotalRevenueUsd);
  if (typeof revenue === 'object' && revenue !== null) return revenue;

  const cancellationReason =
    trimmed(fields, columns.cancellationReason) || null;
  const product =
    trimmed(fields, columns.productId) ||
    trimmed(fields, columns.vendorProductId) ||
    null;
  const transactionId = trimmed(fields, columns.transactionId) || null;

  const id = eventId('adapty', [
    userId,
    eventName,
    eventDatetime,
    transactionId,
    product,
  ]);
  const event: MappedEvent = {
    event_id: id,
    source: 'adapty',
    user_id: userId,
    event_name: eventName,
    event_datetime: eventDatetime,
    city: null,
    region: null,
    country: null,
    os: null,
    app_version: null,
    event_parameters: new AdaptyParameters(fields, columns, userIdColumn, row),
    proceeds_usd: proceeds,
    profile_total_revenue_usd: revenue,
    cancellation_reason: cancellationReason,
    source_file: sourceFile,
  };
  return {
    ok: true,
    event,
    profileChange: adaptyProfileChange(event, product, revenue),
  };
};

const adaptyProfileChange = (
  event: MappedEvent,
  product: string | null,
  revenue: string | null,
): ProfileChange | null => {
  // Names come lower-cased as a rule: looked up as they are first.
  const state =
    stateForAdaptyEvent(event.event_name) ??
    stateForAdaptyEvent(event.event_name.toLowerCase());
  if (state === undefined && revenue === null) return null;
  const change: ProfileChange = {
    user_id: event.user_id,
    event_id: event.event_id,
    event_datetime: event.event_datetime,
  };
  if (state !== undefined) {
    change.subscription = {
      state,
      product_id: product,
      cancellation_reason: CANCELLING.has(state)
        ? event.cancellation_reason
        : null,
    };
  }
  if (revenue !== null) change.revenue = revenue;
  return change;
};
