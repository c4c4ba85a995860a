import {
  PROFILE_CHANGE_ORDERING_KEYS,
  profileChangeOrderingKey,
} from './profile-change';

describe('profileChangeOrderingKey', () => {
  it('gives a user the same key every time, from a fixed function', () => {
    expect(profileChangeOrderingKey('user-000001')).toBe(
      profileChangeOrderingKey('user-000001'),
    );
    expect(profileChangeOrderingKey('')).toBe(
      `users-${0x811c9dc5 % PROFILE_CHANGE_ORDERING_KEYS}`,
    );
  });

  it('spreads users over every key', () => {
    const keys = new Set(
      Array.from({ length: 5_000 }, (_, i) =>
        profileChangeOrderingKey(`user-${i}`),
      ),
    );
    expect(keys.size).toBe(PROFILE_CHANGE_ORDERING_KEYS);
  });
});
