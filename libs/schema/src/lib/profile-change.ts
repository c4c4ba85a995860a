import { SubscriptionState } from './adapty-states';
import { ProfileRow } from './profile';

export type ProfileAttributes = Pick<
  ProfileRow,
  'city' | 'region' | 'country' | 'os' | 'app_version' | 'device' | 'os_version'
>;

/** Every attribute once; a Record, so that none can be left out. */
const ATTRIBUTES: Record<keyof ProfileAttributes, true> = {
  city: true,
  region: true,
  country: true,
  os: true,
  app_version: true,
  device: true,
  os_version: true,
};

/** The names of the profile attributes a change may carry. */
export const PROFILE_ATTRIBUTE_NAMES = Object.keys(
  ATTRIBUTES,
) as readonly (keyof ProfileAttributes)[];

/**
 * What one source event says about its user's profile. A GA4 first_open
 * carries `attributes` and `install_date`; an Adapty event carries
 * `subscription` when its type sets a state and `revenue` when it has a
 * profile_total_revenue_usd value.
 */
export interface ProfileChange {
  user_id: string;
  event_id: string;
  /** UTC microseconds. */
  event_datetime: number;
  attributes?: ProfileAttributes;
  /** UTC microseconds: user_first_touch_timestamp, else event_timestamp. */
  install_date?: number;
  subscription?: {
    state: SubscriptionState;
    product_id: string | null;
    /** Only meaningful for cancelled and refunded; empty means null. */
    cancellation_reason: string | null;
  };
  /** profile_total_revenue_usd as an exact decimal string. */
  revenue?: string;
}

/**
 * Ordering keys of profile-change messages. A user always maps to the same
 * key, so one user's changes are handled in publish order, one message at a
 * time; many users share a key, so that a message can carry many users'
 * changes (a key per user would mean about a message per change when users
 * have few events each, and Pub/Sub batches only messages of one key).
 */
export const PROFILE_CHANGE_ORDERING_KEYS = 64;

/** FNV-1a: stable across processes and releases, unlike a seeded hash. */
const fnv1a = (text: string): number => {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
};

export const profileChangeOrderingKey = (userId: string): string =>
  `users-${fnv1a(userId) % PROFILE_CHANGE_ORDERING_KEYS}`;
