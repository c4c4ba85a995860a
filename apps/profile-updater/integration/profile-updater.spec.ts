import {
  ProfileChange,
  profileChangeOrderingKey,
} from '@event-pipeline/schema';
import {
  eventually,
  PipelineTestBed,
} from '@event-pipeline/service-kit/testing';
import { ProfileUpdaterModule } from '../src/app/profile-updater.module';

const file = {
  bucket: 'event-inbox',
  name: 'adapty.csv',
  generation: '1726644121000000',
};

const change = (
  user: string,
  n: number,
  state: 'active' | 'cancelled',
  reason: string | null,
) =>
  ({
    user_id: user,
    event_id: `event-${n}`,
    event_datetime: n,
    subscription: {
      state,
      product_id: 'premium.yearly',
      cancellation_reason: reason,
    },
    revenue: `${n}.99`,
  }) satisfies ProfileChange;

describe('profile-updater over Pub/Sub', () => {
  let bed: PipelineTestBed;

  beforeAll(async () => {
    bed = await PipelineTestBed.withService({
      name: 'profile-updater',
      rootModule: ProfileUpdaterModule,
    });
  });

  afterAll(() => bed?.stop());

  it('folds changes of many users, in any order and redelivered, into their profiles', async () => {
    const users = Array.from({ length: 30 }, (_, i) => `user-${i}`);
    let batchIndex = 0;
    const publish = (user: string, changes: ProfileChange[]) =>
      bed.publish(
        'profileChanges',
        { file, batchIndex: batchIndex++, changes },
        { orderingKey: profileChangeOrderingKey(user) },
      );
    for (const user of users) {
      // The later cancellation arrives first; the earlier renewal after it, twice.
      await publish(user, [change(user, 20, 'cancelled', 'billing_error')]);
      const renewal = [change(user, 10, 'active', null)];
      await publish(user, renewal);
      await publish(user, renewal);
    }

    const profiles = await eventually(
      'every profile to be folded',
      async () => {
        const rows = await bed.warehouse.getProfiles(users);
        return rows.length === users.length &&
          rows.every((p) => p.activation_event_id !== null)
          ? rows
          : undefined;
      },
    );
    for (const profile of profiles) {
      expect(profile).toMatchObject({
        state: 'cancelled',
        cancellation_reason: 'billing_error',
        profile_total_revenue_usd: '20.99',
      });
    }
  });
});
