import { Topology } from '@event-pipeline/schema';
import { setTimeout as workFor } from 'node:timers/promises';
import { lastValueFrom } from 'rxjs';
import { PubSubClient, PubSubRecord } from '../src';
import { profileChangeBatch } from './support/fixtures';
import {
  Delivery,
  Probe,
  ProbeApp,
  startProbeApp,
  provisionForProbe,
} from './support/probe-app';
import { PubSubTestBed } from './support/pubsub-test-bed';

const KEYS = ['user-a', 'user-b', 'user-c', 'user-d', 'user-e'];
const PER_KEY = 12;
const MAX_MESSAGES = 4;

describe('ordering keys and flow control on the Pub/Sub emulator', () => {
  let bed: PubSubTestBed;
  let topology: Topology;
  let running: ProbeApp;
  let client: PubSubClient;

  beforeAll(async () => {
    bed = await PubSubTestBed.start();
    topology = bed.topology();
    await provisionForProbe(bed, topology);
    client = new PubSubClient({ ...bed.connection, topology });
  });

  afterAll(async () => {
    await running?.app.close();
    await client.close();
    await bed.stop();
  });

  it('handles each key in publish order, keys side by side, never more than flow control allows', async () => {
    const probe = new Probe();
    const inFlightPerKey = new Map<string, number>();
    const overlaps: string[] = [];
    probe.behaviour = async ({ data, orderingKey, attempt }: Delivery) => {
      const key = orderingKey ?? '';
      const inFlight = (inFlightPerKey.get(key) ?? 0) + 1;
      inFlightPerKey.set(key, inFlight);
      if (inFlight > 1) overlaps.push(key);
      try {
        // Some work of uneven length, so that keys overtake each other.
        await workFor(Math.random() * 4);
        const { batchIndex } = data as { batchIndex: number };
        if (key === 'user-b' && batchIndex === 4 && attempt === 1) {
          throw new Error('transient failure in the middle of a key');
        }
      } finally {
        inFlightPerKey.set(key, (inFlightPerKey.get(key) ?? 1) - 1);
      }
    };
    running = await startProbeApp(probe, {
      ...bed.connection,
      topology,
      flowControl: { maxMessages: MAX_MESSAGES },
    });

    const emits: Promise<string>[] = [];
    for (let batchIndex = 0; batchIndex < PER_KEY; batchIndex++) {
      for (const key of KEYS) {
        emits.push(
          lastValueFrom(
            client.emit<string>(
              'profileChanges',
              new PubSubRecord(profileChangeBatch(key, batchIndex), {
                orderingKey: key,
              }),
            ),
          ),
        );
      }
    }
    await Promise.all(emits);

    await probe.until(
      () => probe.withStatus('done').length === KEYS.length * PER_KEY,
      'every batch to be handled',
      20_000,
    );
    const handledInOrder = Object.fromEntries(
      KEYS.map((key) => [
        key,
        probe
          .withStatus('done')
          .filter((d) => d.orderingKey === key)
          .map((d) => (d.data as { batchIndex: number }).batchIndex),
      ]),
    );
    const expected = Array.from({ length: PER_KEY }, (_, i) => i);
    expect(handledInOrder).toEqual(
      Object.fromEntries(KEYS.map((key) => [key, expected])),
    );
    expect(probe.withStatus('failed')).toHaveLength(1);
    expect(overlaps).toEqual([]);
    expect(probe.maxRunning).toBeGreaterThan(1);
    expect(probe.maxRunning).toBeLessThanOrEqual(MAX_MESSAGES);
  });
});
