import {
  describeValue,
  ProfileChange,
  UnifiedEvent,
} from '@event-pipeline/schema';
import { eventId } from './event-id';
import { setOwn } from './json-object';
import { RowOutcome, RowProblem, rowProblem } from './row-outcome';

type JsonObject = Record<string, unknown>;

const INTEGER_TEXT = /^-?\d+$/;

/**
 * How INT64 values are read from one parsed element. JSON.parse turns an
 * integer literal beyond 2^53 into a rounded double; when the mapping meets
 * one it flags `lostDigits`, and the caller parses the element again exactly
 * (big literals as strings) and maps it with `exact` set.
 */
export interface Int64Reading {
  exact: boolean;
  lostDigits: boolean;
}

// Local rather than imported from the schema (whose check of profile
// changes has the same one): it runs several times per event, and the
// imported one ran the GA4 bench about 2% slower side by side, close to
// the bench's noise but not worth it on this path.
const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const objectOrEmpty = (value: unknown): JsonObject =>
  isObject(value) ? value : {};

/** Text of a scalar field, null when absent. */
const text = (value: unknown): string | null => {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') {
    return String(value);
  }
  return null;
};

const checkDigits = (value: number, reading: Int64Reading): void => {
  if (
    !reading.exact &&
    Number.isInteger(value) &&
    !Number.isSafeInteger(value)
  ) {
    reading.lostDigits = true;
  }
};

/** An id-like field (stream_id, sequence numbers) as text, whether it came as a string or a number. */
const keyText = (value: unknown, reading: Int64Reading): string | null => {
  if (typeof value === 'number') checkDigits(value, reading);
  return text(value);
};

/**
 * UTC microseconds of an INT64 timestamp field: null when absent, a problem
 * when it is not an integer that fits a safe JavaScript number.
 */
const micros = (
  event: JsonObject,
  field: string,
  reading: Int64Reading,
): number | null | RowProblem => {
  const value = event[field];
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') {
    checkDigits(value, reading);
    if (Number.isSafeInteger(value)) return value;
  } else if (typeof value === 'string' && INTEGER_TEXT.test(value)) {
    const parsed = Number(value);
    if (Number.isSafeInteger(parsed)) return parsed;
  }
  return rowProblem(
    'INVALID_FIELD',
    `${field}: expected UTC microseconds as an integer (a JSON number or a string of digits) within ±2^53, found ${describeValue(value)}`,
  );
};

/** int_value: a number when it is a safe integer, else its exact digits as a string. */
const intValue = (value: unknown, reading: Int64Reading): unknown => {
  if (typeof value === 'number') {
    checkDigits(value, reading);
    return Number.isInteger(value) && !Number.isSafeInteger(value)
      ? String(value)
      : value;
  }
  if (typeof value === 'string' && INTEGER_TEXT.test(value)) {
    const parsed = Number(value);
    return Number.isSafeInteger(parsed) ? parsed : value;
  }
  return value;
};

const parameterValue = (value: unknown, reading: Int64Reading): unknown => {
  if (!isObject(value)) return null;
  if (value['string_value'] != null) return value['string_value'];
  if (value['int_value'] != null) return intValue(value['int_value'], reading);
  if (value['double_value'] != null) return value['double_value'];
  if (value['float_value'] != null) return value['float_value'];
  return null;
};

/** event_params as key to its first non-null value, or null when the event has none. */
const eventParameters = (
  params: unknown,
  reading: Int64Reading,
): JsonObject | null | RowProblem => {
  if (params === null || params === undefined) return null;
  if (!Array.isArray(params)) {
    return rowProblem(
      'INVALID_FIELD',
      `event_params: expected an array of {key, value}, found ${describeValue(params)}`,
    );
  }
  const parameters: JsonObject = {};
  for (const param of params) {
    const key = isObject(param) ? text(param['key']) : null;
    if (key === null) {
      return rowProblem(
        'INVALID_FIELD',
        `event_params: expected every parameter to have a key, found ${describeValue(param)}`,
      );
    }
    setOwn(
      parameters,
      key,
      parameterValue((param as JsonObject)['value'], reading),
    );
  }
  return parameters;
};

const isProblem = (value: unknown): value is RowProblem =>
  isObject(value) && value['ok'] === false;

/**
 * One parsed GA4 export element to its unified event and, for a first_open,
 * its profile change, per the data contract.
 */
export const mapGa4Event = (
  element: unknown,
  sourceFile: string,
  reading: Int64Reading,
): RowOutcome => {
  if (!isObject(element)) {
    return rowProblem(
      'INVALID_FIELD',
      `expected a GA4 event object, found ${describeValue(element)}`,
    );
  }
  const eventName = element['event_name'];
  if (typeof eventName !== 'string' || eventName === '') {
    return rowProblem(
      'MISSING_FIELD',
      `event_name: expected a non-empty string, found ${describeValue(eventName)}`,
    );
  }
  const pseudoId = keyText(element['user_pseudo_id'], reading) || null;
  const userId = keyText(element['user_id'], reading) || pseudoId;
  if (userId === null) {
    return rowProblem(
      'MISSING_FIELD',
      'user_id and user_pseudo_id: expected at least one to be a non-empty string, found neither',
    );
  }
  const eventDatetime = micros(element, 'event_timestamp', reading);
  if (eventDatetime === null) {
    return rowProblem(
      'MISSING_FIELD',
      'event_timestamp: expected UTC microseconds, found nothing',
    );
  }
  if (isProblem(eventDatetime)) return eventDatetime;
  const parameters = eventParameters(element['event_params'], reading);
  if (isProblem(parameters)) return parameters;

  const geo = objectOrEmpty(element['geo']);
  const platform = text(element['platform']);
  const event: UnifiedEvent = {
    event_id: eventId('ga4', [
      keyText(element['stream_id'], reading),
      pseudoId,
      eventDatetime,
      eventName,
      keyText(element['event_bundle_sequence_id'], reading),
      keyText(element['batch_event_index'], reading),
    ]),
    source: 'ga4',
    user_id: userId,
    event_name: eventName,
    event_datetime: eventDatetime,
    city: text(geo['city']),
    region: text(geo['region']),
    country: text(geo['country']),
    os: platform === null ? null : platform.toUpperCase(),
    app_version: text(objectOrEmpty(element['app_info'])['version']),
    event_parameters: parameters,
    proceeds_usd: null,
    profile_total_revenue_usd: null,
    cancellation_reason: null,
    source_file: sourceFile,
  };
  if (eventName !== 'first_open') {
    return { ok: true, event, profileChange: null };
  }
  const firstTouch = micros(element, 'user_first_touch_timestamp', reading);
  if (isProblem(firstTouch)) return firstTouch;
  return {
    ok: true,
    event,
    profileChange: firstOpenChange(element, event, firstTouch ?? eventDatetime),
  };
};

const firstOpenChange = (
  element: JsonObject,
  event: UnifiedEvent,
  installDate: number,
): ProfileChange => {
  const device = objectOrEmpty(element['device']);
  const deviceName =
    event.os === 'ANDROID'
      ? text(device['mobile_marketing_name'])
      : event.os === 'IOS'
        ? text(device['mobile_model_name'])
        : null;
  return {
    user_id: event.user_id,
    event_id: event.event_id,
    event_datetime: event.event_datetime,
    attributes: {
      city: event.city,
      region: event.region,
      country: event.country,
      os: event.os,
      app_version: event.app_version,
      device: deviceName,
      os_version: text(device['operating_system_version']),
    },
    install_date: installDate,
  };
};
