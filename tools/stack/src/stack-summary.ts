import { StackLocation } from './stack.config';
import { SERVICE_NAMES } from './stack-projects';

const rows = (entries: [string, string][]): string[] => {
  const width = Math.max(...entries.map(([name]) => name.length));
  return entries.map(([name, value]) => `  ${name.padEnd(width)}  ${value}`);
};

/** What `npm start` prints once every service is ready. */
export const formatStackSummary = (
  stack: StackLocation & { env: Record<string, string> },
  pid: number,
): string =>
  [
    'The event pipeline is running.',
    '',
    ...rows([
      ['Inbox folder', stack.inboxDir],
      ['', 'copy files here, or: npm run ingest -- <files or folders>'],
      ['Warehouse', stack.warehousePath],
      ['Error logs', stack.errorsDir],
      ['Process logs', stack.logDir],
      ['Pub/Sub', stack.endpoints.pubsub],
      ['Storage', stack.endpoints.storage],
      ...SERVICE_NAMES.map((name): [string, string] => [
        name,
        `${stack.endpoints.services[name]}  (/healthz, /readyz, /metrics)`,
      ]),
    ]),
    '',
    'Clients reach the emulators with:',
    ...Object.entries(stack.env).map(
      ([name, value]) => `  export ${name}=${value}`,
    ),
    '',
    `Stop with Ctrl-C (or kill ${pid}): the services drain, then local-cloud stops. A second Ctrl-C kills them.`,
    '',
  ].join('\n');
