import {
  DEFAULT_TOPOLOGY,
  SERVICE_NODE_FLAGS,
  ServiceName,
  SUBSCRIPTION_KEYS,
  TOPIC_KEYS,
  toBigQueryFields,
  WAREHOUSE_LAYOUT,
  WAREHOUSE_TABLES,
} from '@event-pipeline/schema';
import { BucketKey, SERVICES, ServiceSpec } from './services';

/** Where the generated files go, relative to the workspace root. */
export const TERRAFORM_DIR = 'infra/terraform';
export const TFVARS_FILE = 'topology.auto.tfvars.json';

/** `gcsNotifications` → `GCS_NOTIFICATIONS`, as `resolveTopology` spells its overrides. */
const screamingSnake = (key: string) =>
  key.replace(/([A-Z])/g, '_$1').toUpperCase();

const BUCKET_KEYS = Object.keys(DEFAULT_TOPOLOGY.buckets) as BucketKey[];

const topics = () =>
  Object.fromEntries(
    TOPIC_KEYS.map((key) => [
      key,
      {
        name: DEFAULT_TOPOLOGY.topics[key],
        env: `TOPIC_${screamingSnake(key)}`,
      },
    ]),
  );

const subscriptions = () =>
  Object.fromEntries(
    SUBSCRIPTION_KEYS.map((key) => {
      const spec = DEFAULT_TOPOLOGY.subscriptions[key];
      return [
        key,
        {
          name: spec.name,
          env: `SUBSCRIPTION_${screamingSnake(key)}`,
          topic: spec.topic,
          ack_deadline_seconds: spec.ackDeadlineSeconds,
          enable_message_ordering: spec.enableMessageOrdering,
          retry_policy: {
            minimum_backoff_seconds: spec.retryPolicy.minimumBackoffSeconds,
            maximum_backoff_seconds: spec.retryPolicy.maximumBackoffSeconds,
          },
          dead_letter_policy: spec.deadLetterPolicy
            ? {
                topic: spec.deadLetterPolicy.topic,
                max_delivery_attempts:
                  spec.deadLetterPolicy.maxDeliveryAttempts,
              }
            : null,
        },
      ];
    }),
  );

const buckets = () =>
  Object.fromEntries(
    BUCKET_KEYS.map((key) => [
      key,
      {
        name: DEFAULT_TOPOLOGY.buckets[key],
        env: `${screamingSnake(key)}_BUCKET`,
      },
    ]),
  );

export const schemaFile = (tableName: string) => `schemas/${tableName}.json`;

const warehouseTables = () =>
  Object.fromEntries(
    WAREHOUSE_TABLES.map((table) => {
      const layout = WAREHOUSE_LAYOUT[table.name];
      return [
        table.name,
        {
          description: table.description,
          schema_file: schemaFile(table.name),
          primary_key: table.primaryKey,
          clustering: layout.clustering,
          range_partitioning: layout.rangePartitioning ?? null,
        },
      ];
    }),
  );

const service = (name: ServiceName, spec: ServiceSpec) => ({
  subscriptions: spec.subscriptions,
  publishes: spec.publishes,
  reads_buckets: spec.readsBuckets,
  writes_buckets: spec.writesBuckets,
  warehouse_dataset_editor: spec.warehouse === 'dataset',
  warehouse_tables: spec.warehouse === 'dataset' ? [] : spec.warehouse,
  memory: spec.memory,
  max_instances: spec.maxInstances,
  node_options: SERVICE_NODE_FLAGS[name].join(' '),
});

/** The Terraform variables that must match the code: one per top-level key. */
export const terraformVariables = () => ({
  topics: topics(),
  subscriptions: subscriptions(),
  buckets: buckets(),
  inbox_prefix: { value: DEFAULT_TOPOLOGY.inboxPrefix, env: 'INBOX_PREFIX' },
  inbox_notification: {
    topic: DEFAULT_TOPOLOGY.notification.topic,
    event_types: DEFAULT_TOPOLOGY.notification.eventTypes,
    payload_format: DEFAULT_TOPOLOGY.notification.payloadFormat,
  },
  warehouse_tables: warehouseTables(),
  services: Object.fromEntries(
    Object.entries(SERVICES).map(([name, spec]) => [
      name,
      service(name as ServiceName, spec),
    ]),
  ),
});

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/** Every generated file under `TERRAFORM_DIR`, path → content. */
export const terraformInputs = (): Record<string, string> => ({
  [TFVARS_FILE]: json(terraformVariables()),
  ...Object.fromEntries(
    WAREHOUSE_TABLES.map((table) => [
      schemaFile(table.name),
      json(toBigQueryFields(table.columns)),
    ]),
  ),
});
