import { resolveTopology } from '@event-pipeline/schema';
import {
  resolveSubscriptionName,
  resolveTopicName,
} from './pattern-resolution';

describe('pattern resolution', () => {
  const topology = resolveTopology({
    SUBSCRIPTION_PROFILE_UPDATER: 'profiles-v2',
    TOPIC_PROFILE_CHANGES: 'profile-changes-v2',
  });

  it('resolves topology keys to the configured names', () => {
    expect(resolveSubscriptionName('profileUpdater', topology)).toBe(
      'profiles-v2',
    );
    expect(resolveSubscriptionName('errorArchiver', topology)).toBe(
      'error-archiver',
    );
    expect(resolveTopicName('profileChanges', topology)).toBe(
      'profile-changes-v2',
    );
  });

  it('takes any other pattern as a name', () => {
    expect(resolveSubscriptionName('my-subscription', topology)).toBe(
      'my-subscription',
    );
    expect(resolveTopicName('projects/p/topics/t', topology)).toBe(
      'projects/p/topics/t',
    );
  });

  it('does not mistake a topic key for a subscription key', () => {
    expect(resolveSubscriptionName('profileChanges', topology)).toBe(
      'profileChanges',
    );
  });
});
