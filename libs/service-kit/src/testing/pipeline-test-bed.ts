import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createLogger,
  LocalCloud,
  localPubSubClient,
  startLocalCloud,
} from '@event-pipeline/local-cloud';
import { resolveTopology, TopicKey, Topology } from '@event-pipeline/schema';
import { createWarehouse, Warehouse } from '@event-pipeline/warehouse';
import { INestApplication } from '@nestjs/common';
import {
  bootstrapPipelineService,
  PipelineServiceDefinition,
} from '../lib/run-pipeline-service';

const PROJECT = 'pipeline-test';

/**
 * The local cloud and a warehouse in a temporary folder, with the process
 * environment pointing the services' official clients at them, for tests
 * that run a service's real module over real sockets.
 */
export class PipelineTestBed {
  private readonly apps: INestApplication[] = [];
  private readonly previousEnv = { ...process.env };

  private constructor(
    readonly cloud: LocalCloud,
    readonly topology: Topology,
    readonly dataDir: string,
    readonly warehouse: Warehouse,
  ) {}

  static async start(): Promise<PipelineTestBed> {
    const dataDir = await mkdtemp(join(tmpdir(), 'pipeline-test-'));
    // Quick retries, so redelivery and dead-lettering take seconds in tests.
    const environment = {
      RETRY_MIN_BACKOFF_SECONDS: '1',
      RETRY_MAX_BACKOFF_SECONDS: '1',
      WAREHOUSE: 'sqlite',
      WAREHOUSE_SQLITE_PATH: join(dataDir, 'warehouse.sqlite'),
    };
    const topology = resolveTopology(environment);
    const cloud = await startLocalCloud({
      pubsubPort: 0,
      storagePort: 0,
      dataDir,
      persistPubSub: false,
      projectId: PROJECT,
      provision: topology,
      logger: createLogger({ level: 'warn' }),
    });
    Object.assign(process.env, environment, cloud.environment);
    const warehouse = await createWarehouse({
      kind: 'sqlite',
      sqlite: { path: environment.WAREHOUSE_SQLITE_PATH },
    });
    return new PipelineTestBed(cloud, topology, dataDir, warehouse);
  }

  /** A test bed running one service; stopped again when the service fails to start. */
  static async withService(
    definition: Omit<PipelineServiceDefinition, 'defaultHttpPort'>,
  ): Promise<PipelineTestBed> {
    const bed = await PipelineTestBed.start();
    try {
      await bed.startService(definition);
    } catch (error) {
      await bed.stop();
      throw error;
    }
    return bed;
  }

  /** Starts a service's root module with its Pub/Sub transport, HTTP on a free port. */
  async startService(
    definition: Omit<PipelineServiceDefinition, 'defaultHttpPort'>,
  ): Promise<INestApplication> {
    process.env['PORT'] = '0';
    const app = await bootstrapPipelineService({
      ...definition,
      defaultHttpPort: 0,
    });
    this.apps.push(app);
    return app;
  }

  /** Publishes JSON through the official client; resolves with the message id. */
  async publish(
    topic: TopicKey,
    data: unknown,
    options: { orderingKey?: string; attributes?: Record<string, string> } = {},
  ): Promise<string> {
    const pubsub = localPubSubClient(this.cloud);
    try {
      return await pubsub
        .topic(this.topology.topics[topic], {
          messageOrdering: Boolean(options.orderingKey),
        })
        .publishMessage({
          data: Buffer.from(JSON.stringify(data)),
          ...options,
        });
    } finally {
      await pubsub.close();
    }
  }

  async stop(): Promise<void> {
    for (const app of this.apps.splice(0).reverse()) await app.close();
    await this.warehouse.close();
    await this.cloud.stop();
    process.env = this.previousEnv;
    await rm(this.dataDir, { recursive: true, force: true });
  }
}

/** Polls `check` until it returns a value other than undefined, or fails naming `what`. */
export const eventually = async <T>(
  what: string,
  check: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 20_000,
): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};
