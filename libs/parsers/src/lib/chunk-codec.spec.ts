import fc from 'fast-check';
import { ProfileChange, UnifiedEvent } from '@event-pipeline/schema';
import { decodeChunk, encodeChunk } from './chunk-codec';
import { emptyChunk, ParsedChunk } from './parsed-chunk';

const text = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  fc.constantFrom('', '\u0000', '\ud800', '__proto__'),
);
const nullableText = fc.option(text, { nil: null });
const json = fc.jsonValue() as fc.Arbitrary<unknown>;

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
  event_parameters: fc.option(fc.dictionary(text, json), { nil: null }),
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

describe('chunk codec', () => {
  it('gives back what it was given', () => {
    fc.assert(
      fc.property(
        fc.array(event, { maxLength: 20 }),
        fc.array(profileChange, { maxLength: 20 }),
        (events, profileChanges) => {
          const chunk: ParsedChunk = {
            ...emptyChunk('ga4'),
            events,
            profileChanges,
            rowsRead: events.length,
          };
          const decoded = decodeChunk(encodeChunk(chunk));
          expect(decoded).toEqual(chunk);
          expect(JSON.stringify(decoded)).toBe(JSON.stringify(chunk));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('keeps a __proto__ key as data', () => {
    const parameters = JSON.parse('{"__proto__": {"x": 1}, "a": -0}') as Record<
      string,
      unknown
    >;
    const decoded = decodeChunk(
      encodeChunk({
        ...emptyChunk('ga4'),
        events: [{ event_parameters: parameters } as UnifiedEvent],
      }),
    );
    expect(Object.keys(decoded.events[0].event_parameters ?? {})).toEqual([
      '__proto__',
      'a',
    ]);
    expect(Object.is(decoded.events[0].event_parameters?.['a'], -0)).toBe(true);
  });
});
