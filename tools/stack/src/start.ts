import { buildStack } from './build';
import { parseStartArgs, START_USAGE } from './cli-args';
import { runCli } from './cli';
import { createPrefixedPrinter } from './log-prefix';
import {
  describeExit,
  reportProcess,
  StartCancelledError,
} from './service-process';
import { onShutdownSignals } from './shutdown-signals';
import { Stack, startStack } from './stack';
import { readStackConfig } from './stack.config';
import { LOCAL_CLOUD, SERVICE_NAMES } from './stack-projects';
import { describeBusyPorts, probeStack } from './stack-probe';
import { formatStackSummary } from './stack-summary';

const say = (message: string) => process.stderr.write(`${message}\n`);

const main = async (): Promise<number> => {
  if (parseStartArgs(process.argv.slice(2)).help) {
    process.stdout.write(START_USAGE);
    return 0;
  }
  const config = readStackConfig();
  const existing = await probeStack(config);
  if (existing.state !== 'stopped') {
    say(describeBusyPorts(existing));
    return existing.state === 'running' ? 0 : 1;
  }
  await buildStack();

  let stack: Stack | undefined;
  let stopping = false;
  let exitCode = 0;
  const startup = new AbortController();
  let finish: (code: number) => void = () => undefined;
  const finished = new Promise<number>((resolve) => (finish = resolve));
  const shutDown = (code: number, why: string) => {
    if (stopping) return;
    stopping = true;
    exitCode = code;
    say(why);
    if (!stack) {
      startup.abort();
      return;
    }
    stack.stop().then(
      () => finish(exitCode),
      (error: unknown) => {
        say(`stopping failed: ${String(error)}`);
        finish(1);
      },
    );
  };
  onShutdownSignals({
    graceful: (signal) =>
      shutDown(
        0,
        `${signal}: stopping the services (they drain), then local-cloud; Ctrl-C again kills them`,
      ),
    force: (signal) => {
      say(`${signal} again: killing every process`);
      // The exit hook of startStack sends SIGKILL to every process left.
      process.exit(130);
    },
  });

  try {
    stack = await startStack({
      signal: startup.signal,
      onLog: createPrefixedPrinter(process.stdout, [
        LOCAL_CLOUD,
        ...SERVICE_NAMES,
      ]),
      onUnexpectedExit: (crashed, status) =>
        shutDown(
          1,
          `${reportProcess(crashed, `exited unexpectedly (${describeExit(status)})`)}\nStopping the stack.`,
        ),
    });
  } catch (error) {
    if (error instanceof StartCancelledError) return exitCode;
    throw error;
  }
  process.stdout.write(`\n${formatStackSummary(stack, process.pid)}\n`);
  await finished;
  say('stopped');
  return exitCode;
};

runCli(main);
