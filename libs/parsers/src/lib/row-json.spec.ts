import fc from 'fast-check';
import {
  ProfileChange,
  UNIFIED_EVENT_COLUMNS,
  UnifiedEvent,
} from '@event-pipeline/schema';
import { JsonWriter } from './json-writer';
import { writeProfileChange, writeUnifiedEvent } from './row-json';

const text = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  fc.constantFrom('', '\u0000', '\ud800', '__proto__'),
);
const nullableText = fc.option(text, { nil: null });

const event: fc.Arbitrary<UnifiedEvent> = fc.record({
  event_id: text,
  source: fc.constantFrom('ga4', 'adapty'),
  user_id: text,
  event_name: text,
  event_datetime: fc.maxSafeInteger(),
  city: nullableText,
  region: nullableText,
  country: nullableText,
  os: nullableText,
  app_version: nullableText,
  event_parameters: fc.option(fc.dictionary(text, fc.jsonValue()), {
    nil: null,
  }),
  proceeds_usd: nullableText,
  profile_total_revenue_usd: nullableText,
  cancellation_reason: nullableText,
  source_file: text,
});

const profileChange: fc.Arbitrary<ProfileChange> = fc.record(
  {
    user_id: text,
    event_id: text,
    event_datetime: fc.maxSafeInteger(),
    attributes: fc.record({
      city: nullableText,
      region: nullableText,
      country: nullableText,
      os: nullableText,
      app_version: nullableText,
      device: nullableText,
      os_version: nullableText,
    }),
    install_date: fc.maxSafeInteger(),
    subscription: fc.record({
      state: fc.constantFrom('trial', 'active', 'cancelled'),
      product_id: nullableText,
      cancellation_reason: nullableText,
    }),
    revenue: text,
  },
  { requiredKeys: ['user_id', 'event_id', 'event_datetime'] },
);

const json = <T>(write: (w: JsonWriter, value: T) => void, value: T) => {
  const w = new JsonWriter();
  write(w, value);
  return Buffer.from(w.finish()).toString('utf8');
};

describe('row JSON', () => {
  it('writes a unified event as JSON.stringify does, every column of the contract', () => {
    fc.assert(
      fc.property(event, (e) => {
        expect(json(writeUnifiedEvent, e)).toBe(JSON.stringify(e));
      }),
      { numRuns: 500 },
    );
    const columns = UNIFIED_EVENT_COLUMNS.map(({ name }) => name).filter(
      (name) => name !== 'state' && name !== 'ingested_at',
    );
    const written = JSON.parse(
      json(writeUnifiedEvent, fc.sample(event, 1)[0]),
    ) as UnifiedEvent;
    expect(Object.keys(written)).toEqual(columns);
  });

  it('writes a profile change as JSON.stringify does, with only the parts it has', () => {
    fc.assert(
      fc.property(profileChange, (c) => {
        expect(json(writeProfileChange, c)).toBe(JSON.stringify(c));
      }),
      { numRuns: 500 },
    );
  });
});
