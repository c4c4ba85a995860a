/** Subscription states a profile can be in. */
export const SUBSCRIPTION_STATES = [
  'trial',
  'active',
  'cancelled',
  'expired',
  'refunded',
  'billing_issue',
  'grace_period',
  'paused',
] as const;
export type SubscriptionState = (typeof SUBSCRIPTION_STATES)[number];

/**
 * The data contract's state table: the state each Adapty event type sets.
 * Event types not listed (non_subscription_purchase and any new type) load as
 * events and leave the state unchanged.
 */
export const ADAPTY_EVENT_STATES: Readonly<Record<string, SubscriptionState>> =
  Object.freeze({
    trial_started: 'trial',
    trial_renewal_reactivated: 'trial',
    subscription_started: 'active',
    subscription_renewed: 'active',
    trial_converted: 'active',
    subscription_renewal_reactivated: 'active',
    subscription_renewal_cancelled: 'cancelled',
    subscription_cancelled: 'cancelled',
    trial_renewal_cancelled: 'cancelled',
    subscription_expired: 'expired',
    trial_expired: 'expired',
    subscription_refunded: 'refunded',
    billing_issue_detected: 'billing_issue',
    entered_grace_period: 'grace_period',
    subscription_paused: 'paused',
  });

/** States whose event carries the cancellation reason. */
export const CANCELLATION_STATES: readonly SubscriptionState[] = [
  'cancelled',
  'refunded',
];

/** States that clear an earlier cancellation reason. */
export const ACTIVATION_STATES: readonly SubscriptionState[] = [
  'active',
  'trial',
];

const STATE_OF_EVENT_TYPE = new Map<string, SubscriptionState>(
  Object.entries(ADAPTY_EVENT_STATES),
);

/** The state an Adapty event type sets, exactly as the table spells it; undefined when it sets none. */
export const stateForAdaptyEvent = (
  eventType: string,
): SubscriptionState | undefined => STATE_OF_EVENT_TYPE.get(eventType);
