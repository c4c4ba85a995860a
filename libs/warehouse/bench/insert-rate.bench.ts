/**
 * Measures how many unified_events rows per second one process inserts in
 * batches of 500, into a fresh warehouse file, with profiles present so that
 * every batch also reads its users' profiles.
 *
 *   npx nx run warehouse:bench            (defaults: 400 batches)
 *   BENCH_BATCHES=2000 npx nx run warehouse:bench
 */
import { createHash } from 'node:crypto';
import { sourceFileUri } from '@event-pipeline/schema';
import { SqliteWarehouse } from '../src/lib/sqlite/sqlite.warehouse';
import {
  adaptyEvent,
  firstOpen,
  ga4Event,
  inboxFile,
  stateChange,
  T0,
  tempWarehousePath,
} from '../src/testing/fixtures';

const BATCH_SIZE = 500;
const USERS = 50_000;
const batches = Number(process.env['BENCH_BATCHES'] ?? 400);
const SEGMENT_BATCHES = 100;

const hash = (text: string) => createHash('sha256').update(text).digest('hex');
const userOf = (i: number) => `user-${i % USERS}`;

const main = async () => {
  const target = tempWarehousePath();
  const warehouse = new SqliteWarehouse({ path: target.path });
  try {
    const profileFile = inboxFile('ga4/first-opens.zip');
    for (let start = 0; start < USERS; start += 1000) {
      const changes = Array.from({ length: 1000 }, (_, k) => {
        const user = userOf(start + k);
        return k % 2 === 0
          ? firstOpen(user, hash(`fo-${user}`), T0)
          : stateChange(user, hash(`st-${user}`), T0, 'active', '9.99');
      });
      await warehouse.applyProfileChanges([
        { file: profileFile, batchIndex: start / 1000, changes },
      ]);
    }

    const file = inboxFile('mixed/events.csv');
    const source_file = sourceFileUri(file);
    const work = Array.from({ length: batches }, (_, b) =>
      Array.from({ length: BATCH_SIZE }, (_, k) => {
        const i = b * BATCH_SIZE + k;
        const make = i % 2 === 0 ? adaptyEvent : ga4Event;
        return make(hash(`event-${i}`), userOf(i * 7919), {
          event_datetime: T0 + i,
          source_file,
        });
      }),
    );

    const rate = (rows: number, nanoseconds: bigint) =>
      `${Math.round(rows / (Number(nanoseconds) / 1e9)).toLocaleString('en-US')} rows/s`;
    const cpuBefore = process.cpuUsage();
    const started = process.hrtime.bigint();
    let segmentStart = started;
    for (let b = 0; b < work.length; b++) {
      await warehouse.insertEventBatch({
        file,
        batchIndex: b,
        events: work[b],
      });
      if ((b + 1) % SEGMENT_BATCHES === 0) {
        const now = process.hrtime.bigint();
        console.log(
          `rows ${((b + 1 - SEGMENT_BATCHES) * BATCH_SIZE).toLocaleString('en-US')}` +
            `-${((b + 1) * BATCH_SIZE).toLocaleString('en-US')}: ` +
            rate(SEGMENT_BATCHES * BATCH_SIZE, now - segmentStart),
        );
        segmentStart = now;
      }
    }
    const elapsed = process.hrtime.bigint() - started;
    const cpu = process.cpuUsage(cpuBefore);
    const rows = batches * BATCH_SIZE;
    // CPU time shows what the process itself spent when other work shares the machine.
    const cpuNanoseconds = BigInt(cpu.user + cpu.system) * 1000n;
    console.log(
      `${rows.toLocaleString('en-US')} rows in ${batches} batches of ${BATCH_SIZE}: ` +
        `${(Number(elapsed) / 1e9).toFixed(2)} s, ${rate(rows, elapsed)} ` +
        `(${rate(rows, cpuNanoseconds)} of CPU time)`,
    );
  } finally {
    await warehouse.close();
    target.remove();
  }
};

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
