/**
 * The Terraform, parsed with HashiCorp's own HCL parser (no terraform binary
 * is available here): it must parse, use the generated variables for every
 * name, and keep the properties the pipeline relies on.
 */
import { parse } from '@cdktf/hcl2json';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TERRAFORM_DIR, TFVARS_FILE } from '../src/terraform-inputs';

type Block = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const terraformDir = join(__dirname, '..', '..', TERRAFORM_DIR);
const tfvars = JSON.parse(
  readFileSync(join(terraformDir, TFVARS_FILE), 'utf8'),
) as Block;

const files: Record<string, Block> = {};

beforeAll(async () => {
  for (const file of readdirSync(terraformDir).filter((f) =>
    f.endsWith('.tf'),
  )) {
    files[file] = await parse(
      file,
      readFileSync(join(terraformDir, file), 'utf8'),
    );
  }
});

/** Every block of a kind across the files: `resource`, `variable`, ... */
const blocks = (kind: string): Block[] =>
  Object.values(files).flatMap((file) => (file[kind] ? [file[kind]] : []));

const resourcesOf = (type: string): Record<string, Block> =>
  Object.fromEntries(
    blocks('resource').flatMap((byType) =>
      Object.entries<Block[]>(byType[type] ?? {}).map(([label, [body]]) => [
        label,
        body,
      ]),
    ),
  );

const resource = (type: string, label: string): Block => {
  const body = resourcesOf(type)[label];
  if (!body) throw new Error(`no resource ${type}.${label}`);
  return body;
};

const locals = (): Block => Object.assign({}, ...blocks('locals').flat());

const variables = (): Record<string, Block> =>
  Object.fromEntries(
    blocks('variable').flatMap((byName) =>
      Object.entries<Block[]>(byName).map(([name, [body]]) => [name, body]),
    ),
  );

/** Every string in a parsed value, keys included. */
const strings = (value: unknown): string[] => {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, v]) => [key, ...strings(v)]);
  }
  return [];
};

describe('Terraform', () => {
  it('declares every generated variable, and needs only the project id besides', () => {
    const declared = variables();
    expect(Object.keys(tfvars).filter((name) => !(name in declared))).toEqual(
      [],
    );
    const required = Object.entries(declared)
      .filter(([name, body]) => !('default' in body) && !(name in tfvars))
      .map(([name]) => name);
    expect(required).toEqual(['project_id']);
  });

  it('hard-codes no topic, subscription, bucket, table or service name', () => {
    const names = [
      ...Object.values<Block>(tfvars['topics']).flatMap((t) => [t.name, t.env]),
      ...Object.values<Block>(tfvars['subscriptions']).flatMap((s) => [
        s.name,
        s.env,
      ]),
      ...Object.values<Block>(tfvars['buckets']).flatMap((b) => [
        b.name,
        b.env,
      ]),
      tfvars['inbox_prefix'].env,
      ...Object.keys(tfvars['warehouse_tables']),
      ...Object.keys(tfvars['services']),
    ];
    const token = (name: string) =>
      new RegExp(`(^|[^A-Za-z0-9])${name}($|[^A-Za-z0-9])`);
    const found = Object.entries(files).flatMap(([file, parsed]) =>
      strings(parsed).flatMap((text) =>
        names
          .filter((name) => token(name).test(text))
          .map((name) => `${file}: ${name} in ${JSON.stringify(text)}`),
      ),
    );
    expect(found).toEqual([]);
  });

  it.each([
    [
      'google_pubsub_topic',
      'topics',
      '${var.topics}',
      { name: '${each.value.name}' },
    ],
    [
      'google_pubsub_subscription',
      'subscriptions',
      '${var.subscriptions}',
      {
        name: '${each.value.name}',
        topic: '${google_pubsub_topic.topics[each.value.topic].id}',
      },
    ],
    [
      'google_bigquery_table',
      'tables',
      '${var.warehouse_tables}',
      {
        table_id: '${each.key}',
        schema: '${file("${path.module}/${each.value.schema_file}")}',
        clustering: '${each.value.clustering}',
      },
    ],
    [
      'google_service_account',
      'services',
      '${var.services}',
      { account_id: '${each.key}' },
      ['deployer'],
    ],
    [
      'google_cloud_run_v2_service',
      'services',
      '${var.services}',
      { name: '${each.key}' },
    ],
  ])(
    'creates every %s from the generated variables',
    (type, label, forEach, attributes, others: string[] = []) => {
      expect(Object.keys(resourcesOf(type)).sort()).toEqual(
        [label, ...others].sort(),
      );
      expect(resource(type, label)).toMatchObject({
        for_each: forEach,
        ...attributes,
      });
    },
  );

  it('names one bucket per topology bucket, project-prefixed, private, with lifecycle rules', () => {
    const buckets = resourcesOf('google_storage_bucket');
    expect(Object.keys(buckets).sort()).toEqual(
      Object.keys(tfvars['buckets']).sort(),
    );
    for (const [key, bucket] of Object.entries(buckets)) {
      expect(bucket).toMatchObject({
        name: `\${var.project_id}-\${var.buckets.${key}.name}`,
        uniform_bucket_level_access: true,
        public_access_prevention: 'enforced',
      });
    }
    const actions = (key: string) =>
      buckets[key]['lifecycle_rule'].map(
        (rule: Block) =>
          rule['action'][0].storage_class ?? rule['action'][0].type,
      );
    expect(actions('inbox')).toEqual(['Delete']);
    expect(actions('errors')).toEqual(['NEARLINE', 'COLDLINE', 'Delete']);
    expect(locals()['buckets']).toEqual(
      Object.fromEntries(
        Object.keys(buckets).map((key) => [
          key,
          `\${google_storage_bucket.${key}}`,
        ]),
      ),
    );
  });

  it('gives each subscription its retry policy, ordering, dead-letter policy and no expiry', () => {
    const subscription = resource(
      'google_pubsub_subscription',
      'subscriptions',
    );
    expect(subscription).toMatchObject({
      ack_deadline_seconds: '${each.value.ack_deadline_seconds}',
      enable_message_ordering: '${each.value.enable_message_ordering}',
      retry_policy: [
        {
          minimum_backoff:
            '${each.value.retry_policy.minimum_backoff_seconds}s',
          maximum_backoff:
            '${each.value.retry_policy.maximum_backoff_seconds}s',
        },
      ],
      expiration_policy: [{ ttl: '' }],
    });
    expect(subscription['dynamic'].dead_letter_policy[0]).toEqual({
      for_each: '${each.value.dead_letter_policy[*]}',
      content: [
        {
          dead_letter_topic:
            '${google_pubsub_topic.topics[dead_letter_policy.value.topic].id}',
          max_delivery_attempts:
            '${dead_letter_policy.value.max_delivery_attempts}',
        },
      ],
    });
  });

  it('lets the Pub/Sub managed account dead-letter: publish to the dead-letter topics, subscribe to the sources', () => {
    expect(locals()['pubsub_managed_account']).toBe(
      'serviceAccount:service-${data.google_project.this.number}@gcp-sa-pubsub.iam.gserviceaccount.com',
    );
    expect(
      resource('google_pubsub_topic_iam_member', 'dead_letter_publisher'),
    ).toMatchObject({
      for_each: '${local.dead_letter_topics}',
      role: 'roles/pubsub.publisher',
      member: '${local.pubsub_managed_account}',
    });
    expect(
      resource(
        'google_pubsub_subscription_iam_member',
        'dead_letter_subscriber',
      ),
    ).toMatchObject({
      for_each: '${local.dead_lettered_subscriptions}',
      role: 'roles/pubsub.subscriber',
      member: '${local.pubsub_managed_account}',
    });
  });

  it('notifies the topology topic of inbox objects, once the Cloud Storage managed account may publish', () => {
    expect(resource('google_storage_notification', 'inbox')).toMatchObject({
      bucket: '${google_storage_bucket.inbox.name}',
      topic: '${google_pubsub_topic.topics[var.inbox_notification.topic].id}',
      payload_format: '${var.inbox_notification.payload_format}',
      event_types: '${var.inbox_notification.event_types}',
      depends_on: [
        '${google_pubsub_topic_iam_member.gcs_notification_publisher}',
      ],
    });
    expect(
      resource('google_pubsub_topic_iam_member', 'gcs_notification_publisher'),
    ).toMatchObject({
      topic: '${google_pubsub_topic.topics[var.inbox_notification.topic].name}',
      role: 'roles/pubsub.publisher',
      member:
        'serviceAccount:${data.google_storage_project_service_account.gcs.email_address}',
    });
  });

  it('partitions tables by the generated integer range', () => {
    expect(
      resource('google_bigquery_table', 'tables')['dynamic']
        .range_partitioning[0].for_each,
    ).toBe('${each.value.range_partitioning[*]}');
  });

  it('runs each service with CPU always allocated, a running instance, /healthz probes and its own account', () => {
    const service = resource('google_cloud_run_v2_service', 'services');
    const [template] = service['template'];
    const [container] = template['containers'];
    expect(service['ingress']).toBe('INGRESS_TRAFFIC_INTERNAL_ONLY');
    expect(template['service_account']).toBe(
      '${google_service_account.services[each.key].email}',
    );
    expect(template['scaling'][0].min_instance_count).toBe(
      '${var.min_instances}',
    );
    expect(variables()['min_instances']['validation'][0].condition).toBe(
      '${var.min_instances >= 1}',
    );
    expect(container['resources'][0].cpu_idle).toBe(false);
    expect(container['startup_probe'][0].http_get).toEqual([
      { path: '/healthz' },
    ]);
    expect(container['liveness_probe'][0].http_get).toEqual([
      { path: '/healthz' },
    ]);
    expect(container['dynamic'].env[0].for_each).toBe('${local.service_env}');
    expect(locals()['service_env']).toEqual(
      expect.stringMatching(/\bWAREHOUSE += "bigquery"/),
    );
  });

  it('grants services nothing project-wide but BigQuery jobs, and creates no keys', () => {
    const projectRoles = Object.values(
      resourcesOf('google_project_iam_member'),
    ).map((grant) => grant['role']);
    expect(projectRoles).toEqual(['roles/bigquery.jobUser']);
    expect(resourcesOf('google_service_account_key')).toEqual({});
  });
});
