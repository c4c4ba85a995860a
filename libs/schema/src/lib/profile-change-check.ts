import { SUBSCRIPTION_STATES } from './adapty-states';
import { PROFILE_ATTRIBUTE_NAMES } from './profile-change';
import {
  EXPECTED_FOR_TYPE,
  NUMERIC_PATTERN,
  RowCheck,
  rowProblem as problem,
} from './row-check';

const STATES: ReadonlySet<unknown> = new Set(SUBSCRIPTION_STATES);

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Absent, as class-validator's IsOptional has it. */
const absent = (value: unknown): value is null | undefined =>
  value === null || value === undefined;

const nonEmptyString = (value: unknown): boolean =>
  typeof value === 'string' && value !== '';

const optionalString = (value: unknown): boolean =>
  absent(value) || typeof value === 'string';

const optionalInteger = (value: unknown): boolean =>
  absent(value) || Number.isSafeInteger(value);

/** The first of `names` in `object` that is neither a string nor absent. */
const optionalStringsProblem = (
  object: Record<string, unknown>,
  path: string,
  names: readonly string[],
): string | null => {
  const name = names.find((key) => !optionalString(object[key]));
  return name === undefined
    ? null
    : problem(`${path}.${name}`, 'a string or null', object[name]);
};

const attributesProblem = (attributes: unknown): string | null => {
  if (absent(attributes)) return null;
  if (!isObject(attributes)) {
    return problem('attributes', 'an object', attributes);
  }
  return optionalStringsProblem(
    attributes,
    'attributes',
    PROFILE_ATTRIBUTE_NAMES,
  );
};

const subscriptionProblem = (subscription: unknown): string | null => {
  if (absent(subscription)) return null;
  if (!isObject(subscription)) {
    return problem('subscription', 'an object', subscription);
  }
  if (!STATES.has(subscription['state'])) {
    return problem(
      'subscription.state',
      `one of ${SUBSCRIPTION_STATES.join(', ')}`,
      subscription['state'],
    );
  }
  return optionalStringsProblem(subscription, 'subscription', [
    'product_id',
    'cancellation_reason',
  ]);
};

/**
 * The check of one profile change as it crosses Pub/Sub, the counterpart of
 * the unified events' compiled row check: changes come by the thousand per
 * message. Returns null for a valid change, else its first problem.
 */
export const checkProfileChange: RowCheck = (change) => {
  if (!isObject(change)) {
    return problem('', 'an object', change);
  }
  if (!nonEmptyString(change['user_id'])) {
    return problem('user_id', 'a non-empty string', change['user_id']);
  }
  if (!nonEmptyString(change['event_id'])) {
    return problem('event_id', 'a non-empty string', change['event_id']);
  }
  if (!Number.isSafeInteger(change['event_datetime'])) {
    return problem(
      'event_datetime',
      EXPECTED_FOR_TYPE.INT64,
      change['event_datetime'],
    );
  }
  if (!optionalInteger(change['install_date'])) {
    return problem(
      'install_date',
      EXPECTED_FOR_TYPE.INT64,
      change['install_date'],
    );
  }
  const revenue = change['revenue'];
  if (
    !absent(revenue) &&
    !(typeof revenue === 'string' && NUMERIC_PATTERN.test(revenue))
  ) {
    return problem('revenue', EXPECTED_FOR_TYPE.NUMERIC, revenue);
  }
  return (
    attributesProblem(change['attributes']) ??
    subscriptionProblem(change['subscription'])
  );
};
