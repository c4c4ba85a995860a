import { ProfileChange, UnifiedEvent } from '@event-pipeline/schema';
import { JsonWriter } from './json-writer';

/*
 * The two kinds of row, written field by field in the order their objects
 * are built, so the JSON is byte for byte JSON.stringify's. Written out
 * rather than walked generically: reading each field by name keeps every
 * property load specialised to one object shape, where a loop over keys
 * would meet five shapes and slow every load down.
 */

export const writeUnifiedEvent = (w: JsonWriter, event: UnifiedEvent): void => {
  w.string(event.event_id, '{"event_id":');
  w.string(event.source, ',"source":');
  w.string(event.user_id, ',"user_id":');
  w.string(event.event_name, ',"event_name":');
  w.ascii(',"event_datetime":');
  w.value(event.event_datetime);
  w.nullableString(event.city, ',"city":');
  w.nullableString(event.region, ',"region":');
  w.nullableString(event.country, ',"country":');
  w.nullableString(event.os, ',"os":');
  w.nullableString(event.app_version, ',"app_version":');
  w.ascii(',"event_parameters":');
  w.value(event.event_parameters);
  w.nullableString(event.proceeds_usd, ',"proceeds_usd":');
  w.nullableString(
    event.profile_total_revenue_usd,
    ',"profile_total_revenue_usd":',
  );
  w.nullableString(event.cancellation_reason, ',"cancellation_reason":');
  w.string(event.source_file, ',"source_file":');
  w.ascii('}');
};

export const writeProfileChange = (
  w: JsonWriter,
  change: ProfileChange,
): void => {
  w.string(change.user_id, '{"user_id":');
  w.string(change.event_id, ',"event_id":');
  w.ascii(',"event_datetime":');
  w.value(change.event_datetime);
  if (change.attributes !== undefined) {
    w.ascii(',"attributes":');
    w.value(change.attributes);
  }
  if (change.install_date !== undefined) {
    w.ascii(',"install_date":');
    w.value(change.install_date);
  }
  const { subscription } = change;
  if (subscription !== undefined) {
    w.string(subscription.state, ',"subscription":{"state":');
    w.nullableString(subscription.product_id, ',"product_id":');
    w.nullableString(
      subscription.cancellation_reason,
      ',"cancellation_reason":',
    );
    w.ascii('}');
  }
  if (change.revenue !== undefined) {
    w.string(change.revenue, ',"revenue":');
  }
  w.ascii('}');
};
