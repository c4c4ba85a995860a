import {
  DEFAULT_TOPOLOGY,
  resolveTopology,
  SUBSCRIPTION_KEYS,
  TOPIC_KEYS,
  TopicKey,
  WAREHOUSE_LAYOUT,
  WAREHOUSE_TABLES,
} from '@event-pipeline/schema';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SERVICES } from './services';
import {
  TERRAFORM_DIR,
  terraformInputs,
  terraformVariables,
} from './terraform-inputs';

const terraformDir = join(__dirname, '..', '..', TERRAFORM_DIR);

// On failure: npx nx run infra:generate, then commit the result.
describe('generated Terraform inputs, committed under infra/terraform', () => {
  it.each(Object.entries(terraformInputs()))(
    '%s matches libs/schema (else run: npx nx run infra:generate)',
    (file, generated) => {
      expect(readFileSync(join(terraformDir, file), 'utf8')).toBe(generated);
    },
  );

  it('include no schema of a table that no longer exists (else run: npx nx run infra:generate)', () => {
    const generated = Object.keys(terraformInputs()).filter((file) =>
      file.startsWith('schemas/'),
    );
    const committed = readdirSync(join(terraformDir, 'schemas')).map(
      (file) => `schemas/${file}`,
    );
    expect(committed.sort()).toEqual(generated.sort());
  });

  it('names the environment overrides that resolveTopology reads', () => {
    const variables = terraformVariables();
    const renamed = (name: string) => `${name}-renamed`;
    const env = Object.fromEntries([
      ...Object.values(variables.topics).map((t) => [t.env, renamed(t.name)]),
      ...Object.values(variables.subscriptions).map((s) => [
        s.env,
        renamed(s.name),
      ]),
      ...Object.values(variables.buckets).map((b) => [b.env, renamed(b.name)]),
      [variables.inbox_prefix.env, 'exports/'],
    ]);

    const topology = resolveTopology(env);

    for (const key of TOPIC_KEYS) {
      expect(topology.topics[key]).toBe(renamed(DEFAULT_TOPOLOGY.topics[key]));
    }
    for (const key of SUBSCRIPTION_KEYS) {
      expect(topology.subscriptions[key].name).toBe(
        renamed(DEFAULT_TOPOLOGY.subscriptions[key].name),
      );
    }
    expect(topology.buckets).toEqual({
      inbox: renamed(DEFAULT_TOPOLOGY.buckets.inbox),
      errors: renamed(DEFAULT_TOPOLOGY.buckets.errors),
    });
    expect(topology.inboxPrefix).toBe('exports/');
  });
});

describe('services', () => {
  const pulled = Object.values(SERVICES).flatMap(
    (service) => service.subscriptions,
  );
  const published = new Set<TopicKey>(
    Object.values(SERVICES).flatMap((service) => service.publishes),
  );

  it('pull every subscription, each from exactly one service', () => {
    expect([...pulled].sort()).toEqual([...SUBSCRIPTION_KEYS].sort());
  });

  it('publish to every topic that a subscription reads, except those Google publishes to', () => {
    const publishedByGoogle = new Set([
      DEFAULT_TOPOLOGY.notification.topic, // Cloud Storage
      ...SUBSCRIPTION_KEYS.flatMap(
        (key) =>
          DEFAULT_TOPOLOGY.subscriptions[key].deadLetterPolicy?.topic ?? [],
      ), // Pub/Sub dead-lettering
    ]);
    const read = SUBSCRIPTION_KEYS.map(
      (key) => DEFAULT_TOPOLOGY.subscriptions[key].topic,
    );
    expect(
      read.filter(
        (topic) => !published.has(topic) && !publishedByGoogle.has(topic),
      ),
    ).toEqual([]);
  });
});

describe('warehouse layout', () => {
  it.each(WAREHOUSE_TABLES.map((table) => [table.name, table] as const))(
    '%s clusters and partitions by its own columns, within BigQuery limits',
    (name, table) => {
      const layout = WAREHOUSE_LAYOUT[name];
      const columnType = (column: string) =>
        table.columns.find((c) => c.name === column)?.type;

      expect(layout.clustering.length).toBeGreaterThan(0);
      expect(layout.clustering.length).toBeLessThanOrEqual(4);
      for (const column of layout.clustering) {
        expect(columnType(column)).toBeDefined();
      }
      if (layout.rangePartitioning) {
        const { field, start, end, interval } = layout.rangePartitioning;
        expect(columnType(field)).toBe('INT64');
        expect((end - start) / interval).toBeLessThanOrEqual(10_000);
        expect(Number.isSafeInteger(end)).toBe(true);
      }
    },
  );

  it('partitions unified_events by UTC day of event_datetime', () => {
    expect(WAREHOUSE_LAYOUT.unified_events.rangePartitioning).toEqual({
      field: 'event_datetime',
      start: Date.UTC(2016, 0, 1) * 1000,
      end: Date.UTC(2040, 0, 1) * 1000,
      interval: 24 * 60 * 60 * 1_000_000,
    });
  });
});
