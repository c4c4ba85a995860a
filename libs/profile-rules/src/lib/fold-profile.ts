import {
  ACTIVATION_STATES,
  CANCELLATION_STATES,
  ProfileChange,
  ProfileFieldGroup,
  ProfileRow,
} from '@event-pipeline/schema';
import {
  EventVersion,
  isEarlierVersion,
  isLaterVersion,
} from './event-version';

export const emptyProfile = (
  userId: string,
  updatedAt: string,
): ProfileRow => ({
  user_id: userId,
  city: null,
  region: null,
  country: null,
  os: null,
  app_version: null,
  device: null,
  os_version: null,
  install_date: null,
  state: null,
  product_id: null,
  cancellation_reason: null,
  profile_total_revenue_usd: null,
  updated_at: updatedAt,
  attributes_event_datetime: null,
  attributes_event_id: null,
  install_event_datetime: null,
  install_event_id: null,
  subscription_event_datetime: null,
  subscription_event_id: null,
  cancellation_event_datetime: null,
  cancellation_event_id: null,
  activation_event_datetime: null,
  activation_event_id: null,
  revenue_event_datetime: null,
  revenue_event_id: null,
});

export const groupVersion = (
  profile: ProfileRow,
  group: ProfileFieldGroup,
): EventVersion | null => {
  const eventDatetime = profile[`${group}_event_datetime`];
  const eventId = profile[`${group}_event_id`];
  return eventDatetime === null || eventId === null
    ? null
    : { event_datetime: eventDatetime, event_id: eventId };
};

const setGroupVersion = (
  profile: ProfileRow,
  group: ProfileFieldGroup,
  change: ProfileChange,
): void => {
  profile[`${group}_event_datetime`] = change.event_datetime;
  profile[`${group}_event_id`] = change.event_id;
};

/**
 * Applies one change in place; returns whether the profile changed. Each
 * field group takes the change only if the change's event is later than the
 * group's version (earlier, for the install date), so the result does not
 * depend on the order changes arrive in, and a repeated change is a no-op.
 */
const applyChange = (profile: ProfileRow, change: ProfileChange): boolean => {
  let changed = false;
  const takes = (group: ProfileFieldGroup, isBetter = isLaterVersion) => {
    if (!isBetter(change, groupVersion(profile, group))) return false;
    setGroupVersion(profile, group, change);
    changed = true;
    return true;
  };

  if (change.attributes && takes('attributes')) {
    Object.assign(profile, change.attributes);
  }
  if (change.install_date !== undefined && takes('install', isEarlierVersion)) {
    profile.install_date = change.install_date;
  }
  if (change.revenue !== undefined && takes('revenue')) {
    profile.profile_total_revenue_usd = change.revenue;
  }
  const subscription = change.subscription;
  if (subscription) {
    if (takes('subscription')) {
      profile.state = subscription.state;
      profile.product_id = subscription.product_id;
    }
    // The visible reason is the latest cancellation's, unless a later event
    // activated the subscription again; both versions only ever move forward.
    if (ACTIVATION_STATES.includes(subscription.state) && takes('activation')) {
      const cancellation = groupVersion(profile, 'cancellation');
      if (cancellation && isLaterVersion(change, cancellation)) {
        profile.cancellation_reason = null;
      }
    }
    if (
      CANCELLATION_STATES.includes(subscription.state) &&
      takes('cancellation')
    ) {
      profile.cancellation_reason = isLaterVersion(
        change,
        groupVersion(profile, 'activation'),
      )
        ? subscription.cancellation_reason || null
        : null;
    }
  }
  return changed;
};

export interface FoldResult {
  profile: ProfileRow;
  changed: boolean;
}

/**
 * The profile rule of the data contract: folds a user's changes into the
 * current profile (null when the user has none yet). Last writer wins per
 * field group by event time, ties by the larger event id; the install date
 * is the earliest first_open's.
 */
export const foldProfileChanges = (
  current: ProfileRow | null,
  changes: readonly ProfileChange[],
  updatedAt: string,
): FoldResult => {
  if (changes.length === 0 && current)
    return { profile: current, changed: false };
  const userId = current?.user_id ?? changes[0]?.user_id;
  if (userId === undefined) throw new Error('A profile needs a user id');
  const profile = current ? { ...current } : emptyProfile(userId, updatedAt);
  let changed = current === null;
  for (const change of changes) {
    if (change.user_id !== userId) {
      throw new Error(
        `Profile change for ${change.user_id} folded into the profile of ${userId}`,
      );
    }
    changed = applyChange(profile, change) || changed;
  }
  if (changed) profile.updated_at = updatedAt;
  return { profile, changed };
};
