import { allDone, formatAccountingTable } from './accounting-table';
import { buildStack } from './build';
import { INGEST_USAGE, parseIngestArgs } from './cli-args';
import { runCli } from './cli';
import { ingestFiles } from './ingest-files';
import { StartCancelledError } from './service-process';
import { onShutdownSignals } from './shutdown-signals';
import { Stack, startStack } from './stack';
import { readStackConfig, stackLocation } from './stack.config';
import { describeBusyPorts, probeStack } from './stack-probe';

const say = (message: string) => process.stderr.write(`${message}\n`);

const INTERRUPTED = 130;

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

  let ownStack: Stack | undefined;
  const startup = new AbortController();
  onShutdownSignals({
    graceful: (signal) => {
      if (!ownStack) {
        startup.abort();
        if (existing.state === 'running') process.exit(INTERRUPTED);
        return;
      }
      say(`${signal}: stopping the stack this run started`);
      ownStack.stop().finally(() => process.exit(INTERRUPTED));
    },
    // The exit hook of startStack sends SIGKILL to every process left.
    force: () => process.exit(INTERRUPTED),
  });

  if (existing.state === 'stopped') {
    await buildStack();
    say(
      `No stack is running: starting one for this run (process logs in ${stackLocation(config).logDir})`,
    );
    try {
      ownStack = await startStack({ signal: startup.signal });
    } catch (error) {
      if (error instanceof StartCancelledError) return INTERRUPTED;
      throw error;
    }
  }

  try {
    const rows = await ingestFiles(args.paths, {
      stack: ownStack ?? stackLocation(config),
      timeoutMs: args.timeoutMs,
      progress: process.stderr,
    });
    process.stdout.write(`\n${formatAccountingTable(rows)}\n`);
    const unfinished = rows.filter(
      (row) => row.status === 'processing' || row.status === 'not started',
    );
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
  } finally {
    if (ownStack) {
      say('Stopping the stack this run started');
      await ownStack.stop();
    }
  }
};

runCli(main);
