import { DEFAULT_INGEST_TIMEOUT_MS } from './ingest-files';
import { positiveSeconds } from './seconds';

type Env = Readonly<Record<string, string | undefined>>;

export const START_USAGE = `Usage: npm start

Builds the services and local-cloud (through Nx, cached), starts them as
separate processes and waits until every service is ready. Ctrl-C stops
them: the services first, then local-cloud; a second Ctrl-C kills them.

Environment: DATA_DIR (default .data), PUBSUB_PORT (8085), STORAGE_PORT
(4443), FILE_INGESTOR_PORT (8081), EVENT_STREAMER_PORT (8082),
PROFILE_UPDATER_PORT (8083), ERROR_ARCHIVER_PORT (8084),
STACK_READY_TIMEOUT_SECONDS (60), STACK_STOP_TIMEOUT_SECONDS (30), and the
topology's (RETRY_MIN_BACKOFF_SECONDS, MAX_DELIVERY_ATTEMPTS, ...).
`;

export const INGEST_USAGE = `Usage: npm run ingest -- [--timeout <seconds>] <file or folder>...

Uploads the files (a folder: every file under it) to the inbox bucket,
waits until each is done or failed in the warehouse's file accounting and
prints a table per file. Starts the stack for the run when it is not
running. Exits with 1 when a file failed as a whole or did not finish.

  --timeout <seconds>  how long to wait for the files (default
                       INGEST_TIMEOUT_SECONDS, else ${DEFAULT_INGEST_TIMEOUT_MS / 1000})
`;

export interface StartArgs {
  help: boolean;
}

export interface IngestArgs {
  help: boolean;
  paths: string[];
  timeoutMs: number;
}

const isHelp = (arg: string) => arg === '-h' || arg === '--help';

export const parseStartArgs = (argv: readonly string[]): StartArgs => {
  const unknown = argv.filter((arg) => !isHelp(arg));
  if (unknown.length > 0) {
    throw new Error(`Unexpected argument ${unknown[0]}\n\n${START_USAGE}`);
  }
  return { help: argv.length > 0 };
};

/** `ingest` arguments; INGEST_TIMEOUT_SECONDS is the timeout unless --timeout is given. */
export const parseIngestArgs = (
  argv: readonly string[],
  env: Env = process.env,
): IngestArgs => {
  const paths: string[] = [];
  let help = false;
  let timeout: string | undefined;
  let optionsEnded = false;
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index];
    if (optionsEnded || !arg.startsWith('-')) {
      paths.push(arg);
    } else if (arg === '--') {
      optionsEnded = true;
    } else if (isHelp(arg)) {
      help = true;
    } else if (arg === '--timeout') {
      timeout = argv[++index];
      if (timeout === undefined) throw new Error('--timeout needs a value');
    } else if (arg.startsWith('--timeout=')) {
      timeout = arg.slice('--timeout='.length);
    } else {
      throw new Error(`Unknown option ${arg}\n\n${INGEST_USAGE}`);
    }
  }
  if (!help && paths.length === 0) {
    throw new Error(`Name at least one file or folder\n\n${INGEST_USAGE}`);
  }
  const fromEnv = env['INGEST_TIMEOUT_SECONDS'];
  const timeoutMs =
    timeout !== undefined
      ? positiveSeconds(timeout, '--timeout')
      : fromEnv
        ? positiveSeconds(fromEnv, 'INGEST_TIMEOUT_SECONDS')
        : DEFAULT_INGEST_TIMEOUT_MS;
  return { help, paths, timeoutMs };
};
