import { Topology } from '@event-pipeline/schema';
import { NestFactory } from '@nestjs/core';
import { filter, firstValueFrom, lastValueFrom } from 'rxjs';
import { PubSubClient, PubSubServer, PubSubServerStatus } from '../src';
import { unifiedEventBatch } from './support/fixtures';
import {
  Probe,
  ProbeApp,
  probeModule,
  startProbeApp,
  provisionForProbe,
} from './support/probe-app';
import { PubSubTestBed } from './support/pubsub-test-bed';
import { deferred, within } from './support/wait';

describe('start, readiness and shutdown on the Pub/Sub emulator', () => {
  let bed: PubSubTestBed;
  let topology: Topology;
  let client: PubSubClient;
  const apps: ProbeApp[] = [];
  const unhandled: unknown[] = [];
  const keepUnhandled = (reason: unknown) => unhandled.push(reason);

  beforeAll(async () => {
    process.on('unhandledRejection', keepUnhandled);
    bed = await PubSubTestBed.start();
  });

  afterAll(async () => {
    await bed.stop();
    process.off('unhandledRejection', keepUnhandled);
  });

  beforeEach(async () => {
    topology = bed.topology();
    await provisionForProbe(bed, topology);
    client = new PubSubClient({ ...bed.connection, topology });
  });

  afterEach(async () => {
    await Promise.all(apps.splice(0).map(({ app }) => app.close()));
    await client.close();
    expect(unhandled).toEqual([]);
  });

  const start = async (probe: Probe, shutdownTimeoutMs = 5_000) => {
    const running = await startProbeApp(probe, {
      ...bed.connection,
      topology,
      flowControl: { maxMessages: 5 },
      shutdownTimeoutMs,
    });
    apps.push(running);
    return running;
  };

  const emitBatches = (count: number) =>
    Promise.all(
      Array.from({ length: count }, (_, i) =>
        lastValueFrom(
          client.emit<string>('unifiedEvents', unifiedEventBatch(i)),
        ),
      ),
    );

  it('is ready only from the moment every subscription is open until shutdown starts', async () => {
    const server = new PubSubServer({ ...bed.connection, topology });
    const statuses: PubSubServerStatus[] = [];
    server.status.subscribe((status) => statuses.push(status));
    const app = await NestFactory.createMicroservice(probeModule(new Probe()), {
      strategy: server,
      logger: false,
    });
    expect(server.isReady()).toBe(false);

    await app.listen();
    expect(server.isReady()).toBe(true);

    const closed = app.close();
    expect(server.isReady()).toBe(false);
    await closed;
    expect(statuses).toEqual(['connecting', 'ready', 'closing', 'closed']);
  });

  it('stops with a message naming the subscription it cannot open', async () => {
    const missing = bed.topology();
    const server = new PubSubServer({ ...bed.connection, topology: missing });
    const app = await NestFactory.createMicroservice(probeModule(new Probe()), {
      strategy: server,
      logger: false,
    });
    await expect(app.listen()).rejects.toThrow(
      `subscription ${missing.subscriptions.profileUpdater.name} (pattern profileUpdater) cannot be opened: 5 NOT_FOUND`,
    );
    expect(server.isReady()).toBe(false);
    await app.close();
  });

  it('is no longer ready once a stream breaks for good', async () => {
    const { server, logs } = await start(new Probe());
    expect(server.isReady()).toBe(true);

    await bed.admin
      .subscription(topology.subscriptions.eventStreamer.name)
      .delete();
    await within(
      10_000,
      'the broken status',
      firstValueFrom(
        server.status.pipe(filter((status) => status === 'broken')),
      ),
    );
    expect(server.isReady()).toBe(false);
    expect(logs.at('error')).toContainEqual(
      `subscription ${topology.subscriptions.eventStreamer.name} stopped streaming and will not resume`,
    );
  });

  it('shuts down mid-stream without losing or repeating acknowledged work', async () => {
    const first = new Probe();
    const gate = deferred();
    first.behaviour = async (delivery) => {
      if (first.deliveries.indexOf(delivery) >= 10) await gate.promise;
    };
    const { app, server, logs } = await start(first);
    const published = await emitBatches(40);
    await first.until(
      () =>
        first.withStatus('done').length === 10 &&
        first.withStatus('running').length === 5,
      'ten handled and five in flight',
    );

    const closed = app.close();
    expect(server.isReady()).toBe(false);
    gate.resolve();
    await closed;

    // The five in flight finished and no handler started after shutdown began.
    expect(first.deliveries).toHaveLength(15);
    expect(first.withStatus('done')).toHaveLength(15);
    expect(logs.at('error')).toEqual([]);

    const second = new Probe();
    const handledFirst = new Set(first.deliveries.map((d) => d.messageId));
    const { app: secondApp } = await start(second);
    await second.until(
      () => second.withStatus('done').length === 25,
      'the other 25 messages',
    );
    await secondApp.close();

    const handledSecond = second.deliveries.map((d) => d.messageId);
    expect(handledSecond.filter((id) => handledFirst.has(id))).toEqual([]);
    expect(new Set([...handledFirst, ...handledSecond])).toEqual(
      new Set(published),
    );
    expect(
      await bed.pullNow(topology.subscriptions.eventStreamer.name),
    ).toEqual([]);
  });

  it('gives back a message whose handler outlives the shutdown timeout', async () => {
    const first = new Probe();
    const stuck = deferred();
    first.behaviour = () => stuck.promise;
    const { app, logs } = await start(first, 1_500);
    const [id] = await emitBatches(1);
    await first.until(
      () => first.deliveries.length === 1,
      'the handler to start',
    );

    await within(5_000, 'shutdown to give up waiting', app.close());
    stuck.resolve();
    await logs.until(
      () =>
        logs
          .at('warn')
          .some((line) => line.includes('after the shutdown timeout')),
      'the late handler to be noticed',
    );
    expect(logs.at('error')).toEqual([]);

    const second = new Probe();
    await start(second);
    await second.until(
      () => second.withStatus('done').length === 1,
      'the redelivery',
    );
    expect(second.deliveries.map((d) => [d.messageId, d.attempt])).toEqual([
      [id, 2],
    ]);
  });
});
