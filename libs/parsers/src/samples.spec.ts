import { createReadStream, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { foldProfileChanges } from '@event-pipeline/profile-rules';
import {
  PROFILE_VALUES_ON_EVENTS,
  PUBLIC_PROFILE_COLUMNS,
  ProfileChange,
  UnifiedEvent,
} from '@event-pipeline/schema';
import { parseSourceFile } from './lib/parse-source-file';
import { canonicalDecimal } from './lib/exact-decimal';
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

const decimal = (value: unknown): string | null =>
  value === null || value === undefined
    ? null
    : canonicalDecimal(String(value));

/** An event as expected.json writes it: without ids, file and profile-filled columns. */
const comparable = (event: Json): Json =>
  event['source'] === 'ga4'
    ? {
        source: event['source'],
        user_id: event['user_id'],
        event_name: event['event_name'],
        event_datetime: event['event_datetime'],
        city: event['city'],
        region: event['region'],
        country: event['country'],
        os: event['os'],
        app_version: event['app_version'],
        event_parameters: event['event_parameters'],
      }
    : {
        source: event['source'],
        user_id: event['user_id'],
        event_name: event['event_name'],
        event_datetime: event['event_datetime'],
        proceeds_usd: decimal(event['proceeds_usd']),
        profile_total_revenue_usd: decimal(event['profile_total_revenue_usd']),
        cancellation_reason: event['cancellation_reason'],
        product: event['product'],
      };

const sorted = (rows: Json[]) =>
  rows
    .map((row) => JSON.stringify(row))
    .sort()
    .map((text) => JSON.parse(text) as Json);

describe('the shared samples', () => {
  const expected = JSON.parse(
    readFileSync(resolve(SAMPLES, 'expected.json'), 'utf8'),
  ) as {
    unified_events: Json[];
    profiles: Json[];
  };
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
      comparable({
        ...event,
        product:
          event.event_parameters?.['product_id'] ??
          event.event_parameters?.['vendor_product_id'] ??
          null,
      }),
    );
    expect(ours).toHaveLength(expected.unified_events.length);
    expect(sorted(ours)).toEqual(
      sorted(expected.unified_events.map(comparable)),
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
        profiles.set(
          user,
          Object.fromEntries(
            PUBLIC_PROFILE_COLUMNS.filter(
              (column) => column !== 'updated_at',
            ).map((column) => [
              column,
              column === 'profile_total_revenue_usd'
                ? decimal(profile[column])
                : profile[column],
            ]),
          ),
        );
      }
    });

    it('give exactly the expected profiles', () => {
      const wanted = expected.profiles.map((profile) => ({
        ...profile,
        profile_total_revenue_usd: decimal(
          profile['profile_total_revenue_usd'],
        ),
      }));
      expect(sorted([...profiles.values()])).toEqual(sorted(wanted));
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
