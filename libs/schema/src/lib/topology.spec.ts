import {
  DEFAULT_TOPOLOGY,
  resolveTopology,
  SUBSCRIPTION_KEYS,
} from './topology';

describe('topology', () => {
  it('gives every subscription but the dead-letter one a dead-letter policy', () => {
    for (const key of SUBSCRIPTION_KEYS) {
      const spec = DEFAULT_TOPOLOGY.subscriptions[key];
      if (key === 'deadLetterArchiver') {
        expect(spec.deadLetterPolicy).toBeUndefined();
      } else {
        expect(spec.deadLetterPolicy).toEqual({
          topic: 'deadLetters',
          maxDeliveryAttempts: 5,
        });
      }
    }
  });

  it('orders profile changes only', () => {
    const ordered = SUBSCRIPTION_KEYS.filter(
      (key) => DEFAULT_TOPOLOGY.subscriptions[key].enableMessageOrdering,
    );
    expect(ordered).toEqual(['profileUpdater']);
  });

  it('applies environment overrides', () => {
    const topology = resolveTopology({
      TOPIC_UNIFIED_EVENTS: 'events-v2',
      SUBSCRIPTION_PROFILE_UPDATER: 'profiles-v2',
      INBOX_BUCKET: 'my-inbox',
      INBOX_PREFIX: 'exports/',
      MAX_DELIVERY_ATTEMPTS: '3',
      RETRY_MIN_BACKOFF_SECONDS: '1',
    });
    expect(topology.topics.unifiedEvents).toBe('events-v2');
    expect(topology.topics.profileChanges).toBe('profile-changes');
    expect(topology.subscriptions.profileUpdater.name).toBe('profiles-v2');
    expect(topology.subscriptions.profileUpdater.enableMessageOrdering).toBe(
      true,
    );
    expect(
      topology.subscriptions.eventStreamer.deadLetterPolicy
        ?.maxDeliveryAttempts,
    ).toBe(3);
    expect(
      topology.subscriptions.deadLetterArchiver.deadLetterPolicy,
    ).toBeUndefined();
    expect(
      topology.subscriptions.fileIngestor.retryPolicy.minimumBackoffSeconds,
    ).toBe(1);
    expect(topology.buckets).toEqual({
      inbox: 'my-inbox',
      errors: 'event-errors',
    });
    expect(topology.inboxPrefix).toBe('exports/');
  });

  it('stops on a bad number, naming the variable', () => {
    expect(() => resolveTopology({ MAX_DELIVERY_ATTEMPTS: 'five' })).toThrow(
      'MAX_DELIVERY_ATTEMPTS must be a positive integer, found "five"',
    );
  });
});
