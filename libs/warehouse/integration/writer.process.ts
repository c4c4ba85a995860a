/**
 * One writer process of the concurrency test. Opens the warehouse, reports
 * `ready`, waits for `go` so that every writer starts at once, runs its role
 * and reports what it did (or the error) before exiting.
 */
import { SqliteWarehouse } from '../src/lib/sqlite/sqlite.warehouse';
import { Role, runRole } from './concurrent-workload';

export type WriterReport =
  | { type: 'ready' }
  | { type: 'done'; calls: number; startedAt: number; endedAt: number }
  | { type: 'failed'; error: string };

const [path, role] = process.argv.slice(2) as [string, Role];

const send = (report: WriterReport) =>
  new Promise<void>((resolve) => process.send?.(report, () => resolve()));

const main = async () => {
  const warehouse = new SqliteWarehouse({ path });
  process.once('message', async () => {
    try {
      const startedAt = Date.now();
      const calls = await runRole(warehouse, role);
      await send({ type: 'done', calls, startedAt, endedAt: Date.now() });
    } catch (error) {
      await send({
        type: 'failed',
        error: String((error as Error).stack ?? error),
      });
      process.exitCode = 1;
    } finally {
      await warehouse.close();
      process.disconnect();
    }
  });
  await send({ type: 'ready' });
};

main().catch(async (error) => {
  await send({
    type: 'failed',
    error: String((error as Error).stack ?? error),
  });
  process.exitCode = 1;
  process.disconnect();
});
