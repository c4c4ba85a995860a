import { checkUnifiedEvent } from '@event-pipeline/schema';
import { ga4Param } from '../testing/ga4-export-tables';
import { ga4Event } from '../testing/parse-fixtures';
import { mapGa4Event } from './ga4-event.mapper';
import { MappedRow, RowProblem } from './row-outcome';

const SOURCE = 'gs://inbox/ga4.zip#1';

const map = (event: unknown) => {
  const reading = { exact: false, lostDigits: false };
  const outcome = mapGa4Event(event, SOURCE, reading);
  return { outcome, lostDigits: reading.lostDigits };
};
const mapped = (event: unknown) => map(event).outcome as MappedRow;
const problem = (event: unknown) => map(event).outcome as RowProblem;

describe('mapGa4Event', () => {
  it('maps an export event to a unified event per the contract', () => {
    const { event, profileChange } = mapped(ga4Event({ platform: 'android' }));
    expect(event).toEqual({
      event_id: expect.stringMatching(/^[0-9a-f]{32}$/),
      source: 'ga4',
      user_id: '13128ae84a.1690000016',
      event_name: 'screen_view',
      event_datetime: 1701665082201167,
      city: 'Istanbul',
      region: 'Istanbul',
      country: 'Turkey',
      os: 'ANDROID',
      app_version: '2.0.4',
      event_parameters: {
        ga_session_id: 1701665082,
        firebase_screen_class: 'Paywall',
      },
      proceeds_usd: null,
      profile_total_revenue_usd: null,
      cancellation_reason: null,
      source_file: SOURCE,
    });
    expect(profileChange).toBeNull();
    expect(checkUnifiedEvent(event)).toBeNull();
  });

  it('takes user_id over user_pseudo_id when it has a value', () => {
    expect(mapped(ga4Event({ user_id: 'user-7' })).event.user_id).toBe(
      'user-7',
    );
    expect(mapped(ga4Event({ user_id: '' })).event.user_id).toBe(
      '13128ae84a.1690000016',
    );
    expect(
      problem(ga4Event({ user_id: null, user_pseudo_id: null })),
    ).toMatchObject({
      code: 'MISSING_FIELD',
    });
  });

  it('keeps geo text as is, (not set) included, and nulls what is missing', () => {
    const { event } = mapped(
      ga4Event({
        geo: { city: '(not set)', region: '(not set)', country: 'Japan' },
        app_info: null,
        platform: null,
      }),
    );
    expect(event).toMatchObject({
      city: '(not set)',
      region: '(not set)',
      country: 'Japan',
      os: null,
      app_version: null,
    });
    expect(mapped(ga4Event({ geo: null })).event).toMatchObject({
      city: null,
      region: null,
      country: null,
    });
  });

  it('reads event_timestamp given as a number or a string', () => {
    expect(
      mapped(ga4Event({ event_timestamp: 1701665082201167 })).event
        .event_datetime,
    ).toBe(1701665082201167);
    expect(problem(ga4Event({ event_timestamp: 'yesterday' }))).toMatchObject({
      code: 'INVALID_FIELD',
    });
    expect(
      problem(ga4Event({ event_timestamp: '99999999999999999999' })).message,
    ).toContain('event_timestamp');
    expect(problem(ga4Event({ event_timestamp: undefined }))).toMatchObject({
      code: 'MISSING_FIELD',
    });
  });

  it('builds event_parameters from the first non-null value, int_value kept exact', () => {
    const { event } = mapped(
      ga4Event({
        event_params: [
          ga4Param('s', { string_value: 'text', int_value: '5' }),
          ga4Param('i_string', { int_value: '42' }),
          ga4Param('i_number', { int_value: -7 }),
          ga4Param('i_big', { int_value: '12345678901234567890' }),
          ga4Param('d', { double_value: 744.604, float_value: 1.5 }),
          ga4Param('f', { float_value: 1.5 }),
          ga4Param('none', {}),
          ga4Param('zero', { int_value: 0 }),
        ],
      }),
    );
    expect(event.event_parameters).toEqual({
      s: 'text',
      i_string: 42,
      i_number: -7,
      i_big: '12345678901234567890',
      d: 744.604,
      f: 1.5,
      none: null,
      zero: 0,
    });
  });

  it('gives null event_parameters when the event has none, and keeps odd keys as data', () => {
    expect(
      mapped(ga4Event({ event_params: null })).event.event_parameters,
    ).toBeNull();
    const { event } = mapped(
      ga4Event({
        event_params: [ga4Param('__proto__', { string_value: 'x' })],
      }),
    );
    expect(Object.keys(event.event_parameters ?? {})).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(event.event_parameters)).toBe(
      Object.prototype,
    );
    expect(problem(ga4Event({ event_params: [{ value: {} }] }))).toMatchObject({
      code: 'INVALID_FIELD',
    });
    expect(problem(ga4Event({ event_params: 'x' }))).toMatchObject({
      code: 'INVALID_FIELD',
    });
  });

  it('flags integers that JSON.parse could not keep exact', () => {
    expect(
      map(ga4Event({ event_params: [ga4Param('big', { int_value: 2 ** 60 })] }))
        .lostDigits,
    ).toBe(true);
    expect(map(ga4Event({ stream_id: 2 ** 60 })).lostDigits).toBe(true);
    expect(
      map(ga4Event({ event_params: [ga4Param('d', { double_value: 1e300 })] }))
        .lostDigits,
    ).toBe(false);
    expect(map(ga4Event()).lostDigits).toBe(false);
  });

  it('rejects elements that are not event objects', () => {
    for (const element of [null, 1, 'x', [ga4Event()]]) {
      expect(problem(element)).toMatchObject({ code: 'INVALID_FIELD' });
      expect(problem(element).message).toMatch(
        /^expected a GA4 event object, found /,
      );
    }
    expect(problem(ga4Event({ event_name: '' }))).toMatchObject({
      code: 'MISSING_FIELD',
    });
  });

  describe('first_open', () => {
    it('gives the profile attributes, Android device by marketing name', () => {
      const { event, profileChange } = mapped(
        ga4Event({ event_name: 'first_open' }),
      );
      expect(profileChange).toEqual({
        user_id: event.user_id,
        event_id: event.event_id,
        event_datetime: 1701665082201167,
        attributes: {
          city: 'Istanbul',
          region: 'Istanbul',
          country: 'Turkey',
          os: 'ANDROID',
          app_version: '2.0.4',
          device: 'Galaxy S21 5G',
          os_version: 'Android 13',
        },
        install_date: 1701663600959449,
      });
    });

    it('names an iOS device by model, other platforms none', () => {
      expect(
        mapped(ga4Event({ event_name: 'first_open', platform: 'IOS' }))
          .profileChange?.attributes?.device,
      ).toBe('SM-G991B');
      expect(
        mapped(ga4Event({ event_name: 'first_open', platform: 'WEB' }))
          .profileChange?.attributes?.device,
      ).toBeNull();
    });

    it('falls back to event_timestamp for the install date', () => {
      const { profileChange } = mapped(
        ga4Event({
          event_name: 'first_open',
          user_first_touch_timestamp: null,
        }),
      );
      expect(profileChange?.install_date).toBe(1701665082201167);
    });
  });

  describe('event_id', () => {
    const id = (overrides: Record<string, unknown>) =>
      mapped(ga4Event(overrides)).event.event_id;

    it('is the same for the same event, whether int64 fields came as strings or numbers', () => {
      expect(id({})).toBe(id({}));
      expect(
        id({
          event_timestamp: 1701665082201167,
          stream_id: 5976585638,
          event_bundle_sequence_id: 100,
          batch_event_index: 3,
        }),
      ).toBe(id({}));
    });

    it('changes with each identifying field', () => {
      const base = id({});
      for (const overrides of [
        { stream_id: '1' },
        { user_pseudo_id: 'other' },
        { event_timestamp: '1701665082201168' },
        { event_name: 'other' },
        { event_bundle_sequence_id: '101' },
        { batch_event_index: '4' },
      ]) {
        expect(id(overrides)).not.toBe(base);
      }
    });

    it('ignores fields outside the identity', () => {
      expect(id({ geo: null, app_info: null, event_params: [] })).toBe(id({}));
    });
  });
});
