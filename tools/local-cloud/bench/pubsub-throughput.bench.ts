/**
 * Messages per second through the Pub/Sub emulator with the official
 * client: 10 KB messages published in batches of 100 and acknowledged by a
 * streaming subscriber. The emulator runs in a child process, as it does
 * beside the services. Prints the median of several runs.
 *
 *   node -r @swc-node/register tools/local-cloud/bench/pubsub-throughput.bench.ts
 *
 * BENCH_MESSAGES (default 20000) and BENCH_RUNS (default 3) tune it.
 */
import { PubSub, type Message } from '@google-cloud/pubsub';
import { fork } from 'node:child_process';
import { createLogger } from '../src/shared/logger';
import { startPubSubEmulator } from '../src/pubsub';

const MESSAGES = Number(process.env['BENCH_MESSAGES'] ?? 20_000);
const RUNS = Number(process.env['BENCH_RUNS'] ?? 3);
const BATCH = 100;
const PAYLOAD = Buffer.alloc(10 * 1024, 'x');

interface Run {
  published: number;
  acknowledged: number;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const runOnce = async (pubsub: PubSub, run: number): Promise<Run> => {
  const [topic] = await pubsub.createTopic(`bench-${run}`);
  const [{ name }] = await topic.createSubscription(`bench-${run}-sub`, { ackDeadlineSeconds: 60 });
  const subscription = pubsub.subscription(name, { flowControl: { maxMessages: 2000 } });
  const publisher = pubsub.topic(topic.name, { batching: { maxMessages: BATCH, maxMilliseconds: 10 } });

  let acked = 0;
  const allAcked = new Promise<void>((resolve, reject) => {
    subscription.on('message', (message: Message) => {
      message.ack();
      if (++acked === MESSAGES) resolve();
    });
    subscription.on('error', reject);
  });

  const started = process.hrtime.bigint();
  // Publishing in slices keeps the client's pending batches bounded.
  for (let sent = 0; sent < MESSAGES; sent += 1000) {
    const slice = Math.min(1000, MESSAGES - sent);
    await Promise.all(Array.from({ length: slice }, () => publisher.publishMessage({ data: PAYLOAD })));
  }
  const publishedAt = process.hrtime.bigint();
  await allAcked;
  // close() sends the acks still queued in the client.
  await subscription.close();
  const ackedAt = process.hrtime.bigint();

  const seconds = (end: bigint) => Number(end - started) / 1e9;
  return { published: MESSAGES / seconds(publishedAt), acknowledged: MESSAGES / seconds(ackedAt) };
};

/** In the child: serve until the parent disconnects. */
const serve = async () => {
  const emulator = await startPubSubEmulator({ port: 0, logger: createLogger({ level: 'warn' }) });
  process.send?.(emulator.endpoint);
  process.once('disconnect', () => void emulator.stop());
};

const startChild = () => {
  const child = fork(__filename, ['serve'], { execArgv: process.execArgv });
  const endpoint = new Promise<string>((resolve, reject) => {
    child.once('message', (message) => resolve(String(message)));
    child.once('exit', (code) => reject(new Error(`emulator process exited with ${code}`)));
  });
  return { child, endpoint };
};

const main = async () => {
  process.env['METADATA_SERVER_DETECTION'] ??= 'none';
  const { child, endpoint } = startChild();
  const pubsub = new PubSub({ projectId: 'bench', apiEndpoint: await endpoint, emulatorMode: true });
  const runs: Run[] = [];
  try {
    for (let run = 1; run <= RUNS; run++) {
      const result = await runOnce(pubsub, run);
      runs.push(result);
      console.log(
        `run ${run}: ${Math.round(result.published)} msg/s published, ${Math.round(result.acknowledged)} msg/s acknowledged`,
      );
    }
  } finally {
    await pubsub.close();
    child.disconnect();
  }
  console.log(
    `median of ${RUNS} runs, ${MESSAGES} messages of ${PAYLOAD.length / 1024} KB in batches of ${BATCH}: ` +
      `${Math.round(median(runs.map((r) => r.published)))} msg/s published, ` +
      `${Math.round(median(runs.map((r) => r.acknowledged)))} msg/s acknowledged end to end`,
  );
};

(process.argv[2] === 'serve' ? serve() : main()).catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
