import {
  FILE_KINDS,
  ProfileChange,
  SUBSCRIPTION_STATES,
} from '@event-pipeline/schema';
import { JsonWriter } from './json-writer';
import { MappedEvent } from './row-outcome';

/*
 * The two kinds of row, written field by field in the order their objects
 * are built, so the JSON is byte for byte JSON.stringify's. Written out
 * rather than walked generically: reading each field by name keeps every
 * property load specialised to one object shape, where a loop over keys
 * would meet five shapes and slow every load down; and the keys are bytes
 * made once.
 */

const bytes = (json: string): Uint8Array => Buffer.from(json);

/** A key after the first, with its comma and colon; and the same followed by null. */
interface Key {
  text: Uint8Array;
  null: Uint8Array;
}

const key = (name: string): Key => ({
  text: bytes(`,"${name}":`),
  null: bytes(`,"${name}":null`),
});

const nullableString = (w: JsonWriter, text: string | null, k: Key) => {
  if (text === null) w.raw(k.null);
  else w.string(text, k.text);
};

const EVENT = {
  eventId: bytes('{"event_id":'),
  source: bytes(',"source":'),
  userId: bytes(',"user_id":'),
  eventName: bytes(',"event_name":'),
  eventDatetime: bytes(',"event_datetime":'),
  city: key('city'),
  region: key('region'),
  country: key('country'),
  os: key('os'),
  appVersion: key('app_version'),
  eventParameters: bytes(',"event_parameters":'),
  proceedsUsd: key('proceeds_usd'),
  profileTotalRevenueUsd: key('profile_total_revenue_usd'),
  cancellationReason: key('cancellation_reason'),
};

const CHANGE = {
  userId: bytes('{"user_id":'),
  eventId: bytes(',"event_id":'),
  eventDatetime: bytes(',"event_datetime":'),
  attributes: bytes(',"attributes":'),
  installDate: bytes(',"install_date":'),
  subscriptionState: bytes(',"subscription":{"state":'),
  productId: key('product_id'),
  cancellationReason: key('cancellation_reason'),
  revenue: bytes(',"revenue":'),
};

/** The source's value and the next key, for each source, made once. */
const SOURCE_THEN_USER_ID = new Map<string, Uint8Array>(
  FILE_KINDS.map((source) => [
    source,
    bytes(`,"source":"${source}","user_id":`),
  ]),
);

/** Where an Adapty event always stands: no place or device, then the key after them. */
const NO_PLACE_THEN_PARAMETERS = bytes(
  ',"city":null,"region":null,"country":null,"os":null,"app_version":null,"event_parameters":',
);

/** A subscription up to its product id, for each state, made once. */
const SUBSCRIPTION_THEN_PRODUCT_ID = new Map<string, Key>(
  SUBSCRIPTION_STATES.map((state) => {
    const opening = `,"subscription":{"state":${JSON.stringify(state)},"product_id":`;
    return [state, { text: bytes(opening), null: bytes(`${opening}null`) }];
  }),
);

const CLOSE = bytes('}');

// Every event of a file names the same source file: its JSON, with the
// brace that closes the event, is made once per file rather than per row.
let sourceFile = '';
let sourceFileThenClose = bytes(',"source_file":""}');

const sourceFileJson = (file: string): Uint8Array => {
  if (file !== sourceFile) {
    sourceFileThenClose = bytes(`,"source_file":${JSON.stringify(file)}}`);
    sourceFile = file;
  }
  return sourceFileThenClose;
};

export const writeUnifiedEvent = (w: JsonWriter, event: MappedEvent): void => {
  w.string(event.event_id, EVENT.eventId);
  const sourceThenUserId = SOURCE_THEN_USER_ID.get(event.source);
  if (sourceThenUserId === undefined) {
    w.string(event.source, EVENT.source);
    w.string(event.user_id, EVENT.userId);
  } else {
    w.string(event.user_id, sourceThenUserId);
  }
  w.string(event.event_name, EVENT.eventName);
  w.raw(EVENT.eventDatetime);
  w.value(event.event_datetime);
  if (
    event.city === null &&
    event.region === null &&
    event.country === null &&
    event.os === null &&
    event.app_version === null
  ) {
    w.raw(NO_PLACE_THEN_PARAMETERS);
  } else {
    nullableString(w, event.city, EVENT.city);
    nullableString(w, event.region, EVENT.region);
    nullableString(w, event.country, EVENT.country);
    nullableString(w, event.os, EVENT.os);
    nullableString(w, event.app_version, EVENT.appVersion);
    w.raw(EVENT.eventParameters);
  }
  w.value(event.event_parameters);
  nullableString(w, event.proceeds_usd, EVENT.proceedsUsd);
  nullableString(
    w,
    event.profile_total_revenue_usd,
    EVENT.profileTotalRevenueUsd,
  );
  nullableString(w, event.cancellation_reason, EVENT.cancellationReason);
  w.raw(sourceFileJson(event.source_file));
};

export const writeProfileChange = (
  w: JsonWriter,
  change: ProfileChange,
): void => {
  w.string(change.user_id, CHANGE.userId);
  w.string(change.event_id, CHANGE.eventId);
  w.raw(CHANGE.eventDatetime);
  w.value(change.event_datetime);
  if (change.attributes !== undefined) {
    w.raw(CHANGE.attributes);
    w.value(change.attributes);
  }
  if (change.install_date !== undefined) {
    w.raw(CHANGE.installDate);
    w.value(change.install_date);
  }
  const { subscription } = change;
  if (subscription !== undefined) {
    const opening = SUBSCRIPTION_THEN_PRODUCT_ID.get(subscription.state);
    if (opening === undefined) {
      w.string(subscription.state, CHANGE.subscriptionState);
      nullableString(w, subscription.product_id, CHANGE.productId);
    } else {
      nullableString(w, subscription.product_id, opening);
    }
    nullableString(
      w,
      subscription.cancellation_reason,
      CHANGE.cancellationReason,
    );
    w.raw(CLOSE);
  }
  if (change.revenue !== undefined) {
    w.string(change.revenue, CHANGE.revenue);
  }
  w.raw(CLOSE);
};
