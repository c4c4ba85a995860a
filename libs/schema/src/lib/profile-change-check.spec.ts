import { checkProfileChange } from './profile-change-check';

const change = { user_id: 'u1', event_id: 'e1', event_datetime: 1 };
const full = {
  ...change,
  attributes: {
    city: 'Lyon',
    region: null,
    country: 'FR',
    os: 'Android',
    app_version: '2.1',
    device: 'mobile',
    os_version: '14',
  },
  install_date: 1700000000000000,
  subscription: {
    state: 'cancelled',
    product_id: 'premium.monthly',
    cancellation_reason: 'voluntarily_cancelled',
  },
  revenue: '41.99',
};

describe('checkProfileChange', () => {
  it('accepts a change with only its key fields, and one with every field', () => {
    expect(checkProfileChange(change)).toBeNull();
    expect(checkProfileChange(full)).toBeNull();
  });

  it('takes null as absent for the optional fields', () => {
    expect(
      checkProfileChange({
        ...change,
        attributes: null,
        install_date: null,
        subscription: null,
        revenue: null,
      }),
    ).toBeNull();
    expect(
      checkProfileChange({
        ...change,
        subscription: { state: 'active', product_id: null },
      }),
    ).toBeNull();
  });

  it.each([
    [null, 'expected an object, found null'],
    [[change], 'expected an object, found [{"user_id":"u1"'],
    [
      { ...change, user_id: '' },
      'user_id: expected a non-empty string, found ""',
    ],
    [
      { ...change, user_id: 7 },
      'user_id: expected a non-empty string, found 7',
    ],
    [
      { ...change, event_id: undefined },
      'event_id: expected a non-empty string, found nothing',
    ],
    [
      { ...change, event_datetime: 1.5 },
      'event_datetime: expected a safe integer, found 1.5',
    ],
    [
      { ...change, event_datetime: '1' },
      'event_datetime: expected a safe integer, found "1"',
    ],
    [
      { ...change, install_date: 2 ** 60 },
      'install_date: expected a safe integer',
    ],
    [{ ...change, revenue: 41.99 }, 'revenue: expected a decimal string'],
    [{ ...change, revenue: '1e3' }, 'revenue: expected a decimal string'],
    [
      { ...change, attributes: 'FR' },
      'attributes: expected an object, found "FR"',
    ],
    [{ ...change, attributes: [] }, 'attributes: expected an object, found []'],
    [
      { ...full, attributes: { ...full.attributes, os_version: 14 } },
      'attributes.os_version: expected a string or null, found 14',
    ],
    [
      { ...change, subscription: true },
      'subscription: expected an object, found true',
    ],
    [
      { ...change, subscription: { state: 'gone' } },
      'subscription.state: expected one of trial, active,',
    ],
    [
      { ...full, subscription: { ...full.subscription, product_id: 1 } },
      'subscription.product_id: expected a string or null, found 1',
    ],
    [
      {
        ...full,
        subscription: { ...full.subscription, cancellation_reason: {} },
      },
      'subscription.cancellation_reason: expected a string or null, found {}',
    ],
  ])('rejects %j: %s', (value, problem) => {
    expect(checkProfileChange(value)).toContain(problem);
  });

  it('names the first problem only, in field order', () => {
    expect(
      checkProfileChange({ ...change, user_id: '', event_id: '' }),
    ).toMatch(/^user_id:/);
  });
});
