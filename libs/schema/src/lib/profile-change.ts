import { SubscriptionState } from './adapty-states';
import { ProfileRow } from './profile';

export type ProfileAttributes = Pick<
  ProfileRow,
  'city' | 'region' | 'country' | 'os' | 'app_version' | 'device' | 'os_version'
>;

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
