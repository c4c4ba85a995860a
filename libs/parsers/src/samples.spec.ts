import { createReadStream } from 'node:fs';
import { resolve } from 'node:path';
import { foldProfileChanges } from '@event-pipeline/profile-rules';
import {
  PROFILE_VALUES_ON_EVENTS,
  ProfileChange,
  UnifiedEvent,
} from '@event-pipeline/schema';
import {
  asMultiset,
  expectedEventView,
  profileView,
  readExpectedSamples,
} from '@event-pipeline/schema/testing';
import { parseSourceFile } from './lib/parse-source-file';
import { decodeChunk } from './testing/parse-fixtures';

const REPO_ROOT = resolve(__dirname, '../../..');
const SAMPLES = resolve(REPO_ROOT, 'samples');
const SAMPLE_FILES = [
  'ga4_export_day1.zip',
  'ga4_export_day2.zip',
  'adapty_events_export.csv',
  'adapty_case_layout.csv',
];

type Json = Record<string, unknown>;

describe('the shared samples', () => {
  const expected = readExpectedSamples(resolve(SAMPLES, 'expected.json'));
  const events = new Map<string, UnifiedEvent>();
  const changes: ProfileChange[] = [];

  beforeAll(async () => {
    for (const name of SAMPLE_FILES) {
      const chunks = parseSourceFile(createReadStream(resolve(SAMPLES, name)), {
        file: { bucket: 'inbox', name, generation: '1' },
      });
      for await (const chunk of chunks) {
        const decoded = decodeChunk(chunk);
        expect(decoded.errors).toEqual([]);
        for (const event of decoded.events) events.set(event.event_id, event);
        changes.push(...decoded.profileChanges);
      }
    }
  });

  it('give exactly the expected unified events', () => {
    const ours = [...events.values()].map((event) =>
      expectedEventView({ ...event }),
    );
    expect(ours).toHaveLength(expected.unified_events.length);
    expect(asMultiset(ours)).toEqual(
      asMultiset(expected.unified_events.map(expectedEventView)),
    );
  });

  describe('folded into profiles', () => {
    const NOW = '2026-01-01T00:00:00.000Z';
    const profiles = new Map<string, Json>();

    beforeAll(() => {
      const byUser = new Map<string, ProfileChange[]>();
      for (const change of changes) {
        byUser.set(change.user_id, [
          ...(byUser.get(change.user_id) ?? []),
          change,
        ]);
      }
      for (const [user, userChanges] of byUser) {
        const { profile } = foldProfileChanges(null, userChanges, NOW);
        profiles.set(user, profileView({ ...profile }));
      }
    });

    it('give exactly the expected profiles', () => {
      expect(asMultiset([...profiles.values()])).toEqual(
        asMultiset(expected.profiles.map(profileView)),
      );
    });

    it('give every Adapty event a profile whose values it would carry', () => {
      const wanted = new Map(
        expected.profiles.map((profile) => [profile['user_id'], profile]),
      );
      const adapty = [...events.values()].filter(
        (event) => event.source === 'adapty',
      );
      expect(adapty.length).toBeGreaterThan(0);
      for (const event of adapty) {
        const profile = profiles.get(event.user_id);
        expect(profile).toBeDefined();
        for (const column of PROFILE_VALUES_ON_EVENTS) {
          expect([event.user_id, column, profile?.[column]]).toEqual([
            event.user_id,
            column,
            wanted.get(event.user_id)?.[column],
          ]);
        }
      }
    });
  });
});
