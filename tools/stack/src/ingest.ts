import {
  AccountingTableRow,
  allDone,
  formatAccountingTable,
} from './accounting-table';
import { buildStack } from './build';
import { IngestArgs, INGEST_USAGE, parseIngestArgs } from './cli-args';
import { runCli } from './cli';
import { ingestFiles, IngestOptions } from './ingest-files';
import { StartCancelledError } from './service-process';
import { onShutdownSignals } from './shutdown-signals';
import { Stack, startStack } from './stack';
import { readStackConfig, stackLocation } from './stack.config';
import { describeBusyPorts, probeStack } from './stack-probe';

const say = (message: string) => process.stderr.write(`${message}\n`);

const INTERRUPTED = 130;

const isUnfinished = (row: AccountingTableRow) =>
  row.status === 'processing' || row.status === 'not started';

/** Uploads, waits, prints the table on stdout; 0 only when every file is done. */
const ingestAndReport = async (
  args: IngestArgs,
  stack: IngestOptions['stack'],
): Promise<number> => {
  const rows = await ingestFiles(args.paths, {
    stack,
    timeoutMs: args.timeoutMs,
    progress: process.stderr,
  });
  process.stdout.write(`\n${formatAccountingTable(rows)}\n`);
  const unfinished = rows.filter(isUnfinished);
  if (unfinished.length > 0) {
    say(
      `\nStill processing after ${args.timeoutMs / 1000} s: ${unfinished
        .map((row) => `${row.file} (${row.status})`)
        .join(', ')}`,
    );
  }
  const failed = rows.filter((row) => row.status === 'failed');
  if (failed.length > 0) {
    say(`\nFailed as a whole: ${failed.map((row) => row.file).join(', ')}`);
  }
  return allDone(rows) ? 0 : 1;
};

const main = async (): Promise<number> => {
  const args = parseIngestArgs(process.argv.slice(2));
  if (args.help) {
    process.stdout.write(INGEST_USAGE);
    return 0;
  }
  const config = readStackConfig();
  const existing = await probeStack(config);
  if (existing.state === 'partial') {
    say(describeBusyPorts(existing));
    return 1;
  }
  if (existing.state === 'running') {
    return ingestAndReport(args, stackLocation(config));
  }

  // Until a process of ours runs, a Ctrl-C may simply end this one.
  await buildStack();
  let stack: Stack | undefined;
  const startup = new AbortController();
  onShutdownSignals({
    graceful: (signal) => {
      if (!stack) {
        startup.abort();
        return;
      }
      say(`${signal}: stopping the stack this run started`);
      stack.stop().finally(() => process.exit(INTERRUPTED));
    },
    // The exit hook of startStack sends SIGKILL to every process left.
    force: () => process.exit(INTERRUPTED),
  });
  say(
    `No stack is running: starting one for this run (process logs in ${stackLocation(config).logDir})`,
  );
  try {
    stack = await startStack({ signal: startup.signal });
  } catch (error) {
    if (error instanceof StartCancelledError) return INTERRUPTED;
    throw error;
  }
  try {
    return await ingestAndReport(args, stack);
  } finally {
    say('Stopping the stack this run started');
    await stack.stop();
  }
};

runCli(main);
