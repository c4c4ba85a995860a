import { ProfileChangeBatchDto, Topology } from '@event-pipeline/schema';
import { lastValueFrom } from 'rxjs';
import {
  DEAD_LETTER_ATTRIBUTES,
  INVALID_MESSAGE_REASON,
  PrometheusTransportMetrics,
  PubSubClient,
  PubSubRecord,
} from '../src';
import { profileChangeBatch, unifiedEventBatch } from './support/fixtures';
import {
  Probe,
  ProbeApp,
  startProbeApp,
  provisionForProbe,
} from './support/probe-app';
import { Collector, PubSubTestBed } from './support/pubsub-test-bed';

describe('delivery through the Pub/Sub emulator', () => {
  let bed: PubSubTestBed;
  let topology: Topology;
  let probe: Probe;
  let metrics: PrometheusTransportMetrics;
  let running: ProbeApp;
  let client: PubSubClient;
  let deadLetters: Collector;

  beforeAll(async () => {
    bed = await PubSubTestBed.start();
  });

  afterAll(() => bed.stop());

  beforeEach(async () => {
    topology = bed.topology();
    await provisionForProbe(bed, topology, ['deadLetterArchiver']);
    probe = new Probe();
    metrics = new PrometheusTransportMetrics();
    running = await startProbeApp(probe, {
      ...bed.connection,
      topology,
      metrics,
    });
    client = new PubSubClient({ ...bed.connection, topology });
    deadLetters = bed.collect(topology.subscriptions.deadLetterArchiver.name);
  });

  afterEach(async () => {
    await running.app.close();
    await client.close();
    await deadLetters.close();
  });

  const emit = (
    topic: string,
    data: unknown,
    options?: PubSubRecord['options'],
  ) =>
    lastValueFrom(client.emit<string>(topic, new PubSubRecord(data, options)));

  it('hands the handler the validated DTO and the delivery context, and acks when it resolves', async () => {
    const batch = profileChangeBatch('user-1');
    const id = await emit('profileChanges', batch, {
      attributes: { source: 'adapty' },
      orderingKey: 'user-1',
    });

    await probe.until(
      () => probe.withStatus('done').length === 1,
      'the handler to finish',
    );
    const [delivery] = probe.deliveries;
    expect(delivery).toMatchObject({
      pattern: 'profileUpdater',
      subscription: topology.subscriptions.profileUpdater.name,
      messageId: id,
      attempt: 1,
      orderingKey: 'user-1',
      attributes: { source: 'adapty' },
      data: batch,
    });
    expect(delivery.data).toBeInstanceOf(ProfileChangeBatchDto);
    expect(delivery.publishTime.getTime()).toBeGreaterThan(Date.now() - 60_000);

    await running.app.close();
    expect(
      await bed.pullNow(topology.subscriptions.profileUpdater.name),
    ).toEqual([]);
    expect(metrics.count('received', 'profileUpdater')).toBe(1);
    expect(metrics.count('acked', 'profileUpdater')).toBe(1);
    expect(metrics.render()).toMatch(
      /pubsub_handler_duration_seconds_count\{pattern="profileUpdater"\} 1\n/,
    );
  });

  it('publishes a Buffer as the JSON its producer encoded', async () => {
    const batch = unifiedEventBatch();
    await emit('unifiedEvents', Buffer.from(JSON.stringify(batch)));

    await probe.until(
      () => probe.withStatus('done').length === 1,
      'the handler to finish',
    );
    expect(probe.deliveries[0].data).toEqual(batch);
  });

  it('nacks when the handler errors, and the message comes back', async () => {
    probe.behaviour = ({ attempt }) => {
      if (attempt === 1) throw new Error('warehouse unavailable');
    };
    const id = await emit('unifiedEvents', unifiedEventBatch());

    await probe.until(
      () => probe.withStatus('done').length === 1,
      'the redelivery to succeed',
    );
    expect(
      probe.deliveries.map((d) => [d.messageId, d.attempt, d.status]),
    ).toEqual([
      [id, 1, 'failed'],
      [id, 2, 'done'],
    ]);
    expect(metrics.count('nacked', 'eventStreamer')).toBe(1);
    expect(metrics.count('acked', 'eventStreamer')).toBe(1);
    expect(running.logs.at('warn')).toContainEqual(
      expect.stringContaining(
        `nacked message ${id} of eventStreamer (delivery attempt 1)`,
      ),
    );
  });

  it('leaves a message that keeps failing to the dead-letter policy', async () => {
    probe.behaviour = () => {
      throw new Error('always fails');
    };
    const batch = profileChangeBatch('user-2');
    const id = await emit('profileChanges', batch);

    await deadLetters.until(
      () => deadLetters.messages.length === 1,
      'the dead letter',
    );
    expect(probe.deliveries.map((d) => [d.messageId, d.attempt])).toEqual(
      [1, 2, 3, 4, 5].map((attempt) => [id, attempt]),
    );
    expect(JSON.parse(deadLetters.messages[0].data.toString())).toEqual(batch);
    expect(metrics.count('nacked', 'profileUpdater')).toBe(5);
  });

  it('sends invalid messages to the dead-letter topic with their errors, without retrying them', async () => {
    const subscription = topology.subscriptions.profileUpdater.name;
    const notJson = await bed.admin
      .topic(topology.topics.profileChanges)
      .publishMessage({
        data: Buffer.from('user-3,oops'),
        attributes: { source: 'test' },
      });
    const invalidBatch = { ...profileChangeBatch('user-3'), batchIndex: -1 };
    const invalid = await emit('profileChanges', invalidBatch, {
      attributes: { source: 'test' },
    });

    await deadLetters.until(
      () => deadLetters.messages.length === 2,
      'both dead letters',
    );
    const bySource = new Map(
      deadLetters.messages.map((m) => [
        m.attributes[DEAD_LETTER_ATTRIBUTES.messageId],
        m,
      ]),
    );
    const common = {
      source: 'test',
      [DEAD_LETTER_ATTRIBUTES.subscription]: subscription,
      [DEAD_LETTER_ATTRIBUTES.reason]: INVALID_MESSAGE_REASON,
      [DEAD_LETTER_ATTRIBUTES.deliveryAttempt]: '1',
    };
    const garbled = bySource.get(notJson);
    expect(garbled?.data.toString()).toBe('user-3,oops');
    expect(garbled?.attributes).toMatchObject(common);
    expect(
      JSON.parse(garbled?.attributes[DEAD_LETTER_ATTRIBUTES.errors] ?? ''),
    ).toEqual([expect.stringMatching(/^data is not JSON/)]);
    const wrong = bySource.get(invalid);
    expect(JSON.parse(wrong?.data.toString() ?? '')).toEqual(invalidBatch);
    expect(wrong?.attributes).toMatchObject(common);
    expect(
      JSON.parse(wrong?.attributes[DEAD_LETTER_ATTRIBUTES.errors] ?? ''),
    ).toEqual(['batchIndex: batchIndex must not be less than 0']);

    // Closing waits for the acks that follow the dead-letter publishes.
    await running.app.close();
    expect(await bed.pullNow(subscription)).toEqual([]);
    expect(probe.deliveries).toEqual([]);
    expect(metrics.count('deadLettered', 'profileUpdater')).toBe(2);
    expect(metrics.count('nacked', 'profileUpdater')).toBe(0);
  });

  it('acks and logs an invalid message when its subscription has no dead-letter topic', async () => {
    const id = await emit('ingestErrors', { records: 'none' });

    await running.logs.until(
      () => running.logs.at('error').some((line) => line.includes(id)),
      'the discarded message to be logged',
    );
    await running.app.close();
    expect(running.logs.at('error')).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `^discarded invalid message ${id} of errorArchiver \\(.*\\): subscription ${topology.subscriptions.errorArchiver.name} has no dead-letter topic$`,
        ),
      ),
    );
    expect(probe.deliveries).toEqual([]);
    expect(metrics.count('discarded', 'errorArchiver')).toBe(1);
    expect(
      await bed.pullNow(topology.subscriptions.errorArchiver.name),
    ).toEqual([]);
  });

  it('rejects an emit Pub/Sub does not accept, and publishes again on that ordering key afterwards', async () => {
    const topic = `${topology.topics.profileChanges}-created-late`;
    await expect(
      emit(topic, { n: 1 }, { orderingKey: 'user-4' }),
    ).rejects.toThrow(
      `publish to topic ${topic} with ordering key user-4 failed:`,
    );
    await bed.admin.createTopic(topic);
    await expect(
      emit(topic, { n: 2 }, { orderingKey: 'user-4' }),
    ).resolves.toMatch(/\S/);
  });
});
