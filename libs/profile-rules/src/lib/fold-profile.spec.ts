import { ProfileChange, ProfileRow } from '@event-pipeline/schema';
import fc from 'fast-check';
import { foldProfileChanges } from './fold-profile';

const NOW = '2026-01-01T00:00:00.000Z';
const LATER = '2026-01-02T00:00:00.000Z';
const USER = 'user-1';

const change = (
  event_datetime: number,
  event_id: string,
  fields: Partial<ProfileChange>,
): ProfileChange => ({ user_id: USER, event_id, event_datetime, ...fields });

const subscription = (
  state: NonNullable<ProfileChange['subscription']>['state'],
  product_id: string | null = 'pro.weekly',
  cancellation_reason: string | null = null,
) => ({ subscription: { state, product_id, cancellation_reason } });

const attributes = (city: string) => ({
  attributes: {
    city,
    region: `${city} region`,
    country: 'Turkey',
    os: 'ANDROID',
    app_version: '1.0.0',
    device: 'Galaxy S21 5G',
    os_version: 'Android 13',
  },
});

const fold = (changes: ProfileChange[], current: ProfileRow | null = null) =>
  foldProfileChanges(current, changes, NOW).profile;

describe('foldProfileChanges', () => {
  it('creates a profile from the first change', () => {
    const { profile, changed } = foldProfileChanges(
      null,
      [change(10, 'a', subscription('trial'))],
      NOW,
    );
    expect(changed).toBe(true);
    expect(profile).toMatchObject({
      user_id: USER,
      state: 'trial',
      product_id: 'pro.weekly',
      city: null,
      updated_at: NOW,
    });
  });

  it('takes attributes from the latest first_open', () => {
    const profile = fold([
      change(20, 'b', attributes('Istanbul')),
      change(10, 'a', attributes('Berlin')),
    ]);
    expect(profile.city).toBe('Istanbul');
    expect(profile.attributes_event_datetime).toBe(20);
  });

  it('takes the install date from the earliest first_open', () => {
    const profile = fold([
      change(20, 'b', { install_date: 19 }),
      change(10, 'a', { install_date: 9 }),
      change(30, 'c', { install_date: 5 }),
    ]);
    expect(profile.install_date).toBe(9);
  });

  it('breaks event-time ties by the larger event id', () => {
    const profile = fold([
      change(10, 'b', subscription('active', 'p-b')),
      change(10, 'a', subscription('expired', 'p-a')),
    ]);
    expect(profile).toMatchObject({ state: 'active', product_id: 'p-b' });
  });

  it('sets state and product from the latest state-setting event even when the state is the same', () => {
    const profile = fold([
      change(10, 'a', subscription('active', 'monthly')),
      change(20, 'b', subscription('active', 'yearly')),
    ]);
    expect(profile).toMatchObject({ state: 'active', product_id: 'yearly' });
  });

  it('takes the latest revenue even when it is lower', () => {
    const profile = fold([
      change(10, 'a', { revenue: '99.99' }),
      change(20, 'b', { revenue: '9.99' }),
    ]);
    expect(profile.profile_total_revenue_usd).toBe('9.99');
  });

  it('keeps the field groups independent', () => {
    const profile = fold([
      change(30, 'c', { revenue: '5' }),
      change(20, 'b', subscription('active')),
      change(10, 'a', attributes('Berlin')),
    ]);
    expect(profile).toMatchObject({
      city: 'Berlin',
      state: 'active',
      profile_total_revenue_usd: '5',
    });
  });

  describe('cancellation reason', () => {
    it('comes from the latest cancelled or refunded event', () => {
      const profile = fold([
        change(10, 'a', subscription('cancelled', 'p', 'billing_error')),
        change(20, 'b', subscription('refunded', 'p', 'unknown')),
      ]);
      expect(profile.cancellation_reason).toBe('unknown');
    });

    it('survives a later event that does not activate', () => {
      const profile = fold([
        change(10, 'a', subscription('cancelled', 'p', 'billing_error')),
        change(20, 'b', subscription('expired')),
      ]);
      expect(profile).toMatchObject({
        state: 'expired',
        cancellation_reason: 'billing_error',
      });
    });

    it('is cleared by a later active or trial event', () => {
      for (const state of ['active', 'trial'] as const) {
        const profile = fold([
          change(20, 'b', subscription(state)),
          change(10, 'a', subscription('cancelled', 'p', 'billing_error')),
        ]);
        expect(profile.cancellation_reason).toBeNull();
      }
    });

    it('is not cleared by an earlier activation', () => {
      const profile = fold([
        change(10, 'a', subscription('active')),
        change(
          20,
          'b',
          subscription('cancelled', 'p', 'voluntarily_cancelled'),
        ),
        change(30, 'c', subscription('expired')),
      ]);
      expect(profile.cancellation_reason).toBe('voluntarily_cancelled');
    });

    it('is null for a cancellation with an empty reason', () => {
      const profile = fold([
        change(10, 'a', subscription('cancelled', 'p', 'billing_error')),
        change(20, 'b', subscription('cancelled', 'p', '')),
      ]);
      expect(profile.cancellation_reason).toBeNull();
    });
  });

  it('is idempotent: a repeated change leaves the profile unchanged', () => {
    const changes = [
      change(10, 'a', attributes('Berlin')),
      change(20, 'b', subscription('cancelled', 'p', 'unknown')),
    ];
    const first = foldProfileChanges(null, changes, NOW).profile;
    const again = foldProfileChanges(first, changes, LATER);
    expect(again.changed).toBe(false);
    expect(again.profile).toEqual(first);
  });

  it('rejects a change of another user', () => {
    expect(() =>
      fold([
        change(1, 'a', { revenue: '1' }),
        { ...change(2, 'b', {}), user_id: 'other' },
      ]),
    ).toThrow(/other/);
  });

  it('gives the same profile for every order and batching of the same changes', () => {
    const states = [
      'trial',
      'active',
      'cancelled',
      'expired',
      'refunded',
      'billing_issue',
    ] as const;
    const arbitraryChange = fc
      .record({
        // A small time range makes ties frequent.
        event_datetime: fc.integer({ min: 1, max: 6 }),
        event_id: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'),
        kind: fc.constantFrom('first_open', 'adapty'),
        state: fc.option(fc.constantFrom(...states), { nil: undefined }),
        reason: fc.constantFrom('', 'billing_error', 'unknown'),
        revenue: fc.option(fc.constantFrom('1.5', '20', '0.99'), {
          nil: undefined,
        }),
        city: fc.constantFrom('Berlin', 'Istanbul', 'Tokyo'),
      })
      // The same event id always carries the same content, as in real input.
      .map(
        ({ event_datetime, event_id, kind, state, reason, revenue, city }) =>
          kind === 'first_open'
            ? change(event_datetime, event_id, {
                ...attributes(city),
                install_date: event_datetime,
              })
            : change(event_datetime, event_id, {
                ...(state ? subscription(state, `p-${event_id}`, reason) : {}),
                ...(revenue ? { revenue } : {}),
              }),
      );
    const uniqueById = (changes: ProfileChange[]) => [
      ...new Map(
        changes.map((c) => [`${c.event_datetime}/${c.event_id}`, c]),
      ).values(),
    ];
    fc.assert(
      fc.property(
        fc
          .array(arbitraryChange, { minLength: 1, maxLength: 12 })
          .map(uniqueById),
        fc.integer({ min: 1, max: 5 }),
        fc.nat(),
        (changes, batchSize, seed) => {
          const reference = fold(changes);
          const shuffled = fc.sample(
            fc.shuffledSubarray(changes, { minLength: changes.length }),
            {
              seed,
              numRuns: 1,
            },
          )[0];
          let profile: ProfileRow | null = null;
          for (let i = 0; i < shuffled.length; i += batchSize) {
            const batch = shuffled.slice(i, i + batchSize);
            profile = foldProfileChanges(
              profile,
              [...batch, ...batch],
              NOW,
            ).profile;
          }
          expect(profile).toEqual(reference);
        },
      ),
      { numRuns: 500 },
    );
  });
});
