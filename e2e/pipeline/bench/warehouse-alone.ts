import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

export interface WarehouseAloneRun {
  events: number;
  /** Seconds inserting the events, 16 batches of 500 per transaction. */
  eventSeconds: number;
  profileChanges: number;
  /** Seconds applying the profile changes, before any event exists. */
  profileChangeSeconds: number;
  /** Seconds inserting the events as plain INSERTs in one transaction, into a fresh file. */
  bareInsertSeconds: number;
}

/**
 * One run of the SQLite warehouse writing a file's rows with nothing else
 * running, in a process of its own: the least time any pipeline on this
 * warehouse and machine needs for the file.
 */
export const warehouseAlone = (path: string): WarehouseAloneRun => {
  const output = execFileSync(
    process.execPath,
    [
      '-r',
      '@swc-node/register',
      join(__dirname, 'warehouse-alone.process.ts'),
      path,
    ],
    { encoding: 'utf8', maxBuffer: 1 << 20 },
  );
  return JSON.parse(
    output.trim().split('\n').pop() as string,
  ) as WarehouseAloneRun;
};
