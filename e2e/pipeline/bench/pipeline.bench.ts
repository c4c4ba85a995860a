/**
 * The whole pipeline against the parsers alone, on the same inputs: a GA4
 * ZIP of 1,000,000 events and an Adapty CSV of 1,000,000 rows.
 *
 *   nx run pipeline-e2e:bench                 3 runs of each
 *   BENCH_RUNS=1 nx run pipeline-e2e:bench    one run of each
 *   BENCH_EVENTS=200000 ...                   smaller inputs
 *   BENCH_INPUTS=ga4 ...                      one input only (ga4 or adapty)
 *
 * Parse-only: parseSourceFile with no sink, one plain-JavaScript process per
 * run (the parsers' own harness). Warehouse alone: the SQLite adapter
 * writing the file's profile changes and events in a process of its own,
 * nothing else running. End to end: a fresh stack per run, from the start
 * of the upload to the file's finished_at, then each process's peak RSS
 * (VmHWM) and CPU time from /proc.
 */
import { availableParallelism, loadavg } from 'node:os';
import { buildStack, SERVICE_NAMES } from '@event-pipeline/stack';
import { adaptyCsvOfRows, ga4ZipOfEvents } from './bench-inputs';
import { EndToEndRun, runEndToEnd } from './end-to-end';
import { parseOnly } from './parse-only';
import { warehouseAlone, WarehouseAloneRun } from './warehouse-alone';

const RUNS = Number(process.env['BENCH_RUNS'] ?? 3);
const EVENTS = Number(process.env['BENCH_EVENTS'] ?? 1_000_000);
const RSS_LIMIT_MB = 400;
const INPUTS = {
  ga4: { label: 'GA4 ZIP', make: ga4ZipOfEvents },
  adapty: { label: 'Adapty CSV', make: adaptyCsvOfRows },
};
type Input = keyof typeof INPUTS;

/** The inputs BENCH_INPUTS names (comma-separated), every one by default. */
const selectedInputs = (): Input[] => {
  const known = Object.keys(INPUTS);
  const named = (process.env['BENCH_INPUTS'] ?? known.join(','))
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  if (named.length === 0 || named.some((name) => !known.includes(name))) {
    throw new Error(
      `BENCH_INPUTS: expected a comma-separated list of ${known.join(', ')}, found ${JSON.stringify(process.env['BENCH_INPUTS'])}`,
    );
  }
  return named as Input[];
};

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? sorted[middle]
    : (sorted[middle - 1] + sorted[middle]) / 2;
};

const log = (line: string) => process.stderr.write(`${line}\n`);
const int = (value: number) => Math.round(value).toLocaleString('en-US');
const fixed = (value: number, digits = 1) => value.toFixed(digits);
const PROCESSES = [...SERVICE_NAMES, 'local-cloud'] as const;

interface Measured {
  label: string;
  events: number;
  parseRate: number;
  parseRss: number;
  warehouseAlone: WarehouseAloneRun[];
  endToEndRate: number;
  runs: EndToEndRun[];
}

const measure = async (label: string, path: string): Promise<Measured> => {
  const parseRates: number[] = [];
  const parseRss: number[] = [];
  for (let i = 1; i <= RUNS; i++) {
    const result = parseOnly(path);
    if (result.errors > 0)
      throw new Error(
        `${label}: ${result.errors} error records parsing generated input`,
      );
    parseRates.push(result.rows / result.seconds);
    parseRss.push(result.peakRssMb);
    log(
      `  ${label} parse-only run ${i}: ${int(result.rows)} rows in ${fixed(result.seconds, 2)} s, ${fixed(result.cpuSeconds, 2)} s CPU, ${int(result.peakRssMb)} MB RSS`,
    );
  }
  const alone: WarehouseAloneRun[] = [];
  for (let i = 1; i <= RUNS; i++) {
    const run = warehouseAlone(path);
    alone.push(run);
    log(
      `  ${label} warehouse-alone run ${i}: ${int(run.profileChanges)} profile changes in ${fixed(run.profileChangeSeconds)} s, ${int(run.events)} events in ${fixed(run.eventSeconds)} s; as bare INSERTs in one transaction ${fixed(run.bareInsertSeconds)} s`,
    );
  }
  const runs: EndToEndRun[] = [];
  for (let i = 1; i <= RUNS; i++) {
    const run = await runEndToEnd(path);
    runs.push(run);
    log(
      `  ${label} end-to-end run ${i}: ${int(run.events)} events in ${fixed(run.seconds)} s ` +
        `(upload ${fixed(run.phases.upload)} s, read ${fixed(run.phases.read)} s, drain ${fixed(run.phases.drain)} s); ` +
        PROCESSES.map(
          (name) =>
            `${name} ${int(run.processes[name].peakRssMb)} MB ${fixed(run.processes[name].cpuSeconds)} s CPU`,
        ).join(', '),
    );
  }
  return {
    label,
    events: runs[0].events,
    parseRate: median(parseRates),
    parseRss: median(parseRss),
    warehouseAlone: alone,
    endToEndRate: median(runs.map((run) => run.events / run.seconds)),
    runs,
  };
};

const table = (header: string[], rows: string[][]) =>
  [header, header.map(() => '---'), ...rows]
    .map((cells) => `| ${cells.join(' | ')} |`)
    .join('\n');

const report = (results: Measured[]) => {
  const rates = table(
    [
      'input',
      'events',
      'parse-only events/s',
      'end-to-end events/s',
      'ratio',
      'target 0.5',
      ...SERVICE_NAMES.map((name) => `${name} peak MB`),
      'RSS target',
    ],
    results.map((r) => {
      const peaks = SERVICE_NAMES.map((name) =>
        median(r.runs.map((run) => run.processes[name].peakRssMb)),
      );
      const ratio = r.endToEndRate / r.parseRate;
      return [
        r.label,
        int(r.events),
        int(r.parseRate),
        int(r.endToEndRate),
        fixed(ratio, 2),
        ratio >= 0.5 ? 'met' : 'MISSED',
        ...peaks.map(int),
        peaks.every((peak) => peak <= RSS_LIMIT_MB) ? 'met' : 'MISSED',
      ];
    }),
  );
  const where = table(
    [
      'input',
      'e2e s',
      'upload s',
      'read s',
      'drain s',
      ...PROCESSES.map((name) => `${name} CPU s`),
      ...SERVICE_NAMES.map((name) => `${name} messages`),
      'event batches',
      'profile batches',
    ],
    results.map((r) => {
      const m = (pick: (run: EndToEndRun) => number) =>
        median(r.runs.map(pick));
      return [
        r.label,
        fixed(m((run) => run.seconds)),
        fixed(m((run) => run.phases.upload)),
        fixed(m((run) => run.phases.read)),
        fixed(m((run) => run.phases.drain)),
        ...PROCESSES.map((name) =>
          fixed(m((run) => run.processes[name].cpuSeconds)),
        ),
        ...SERVICE_NAMES.map((name) =>
          int(m((run) => run.messagesReceived[name])),
        ),
        int(m((run) => run.messages.eventBatches)),
        int(m((run) => run.messages.profileChangeBatches)),
      ];
    }),
  );
  const floor = table(
    [
      'input',
      'profile changes',
      'profile changes s',
      'events s',
      'total s',
      'events/s',
      'events as bare INSERTs in one transaction s',
      'end-to-end target events/s',
    ],
    results.map((r) => {
      const m = (pick: (run: WarehouseAloneRun) => number) =>
        median(r.warehouseAlone.map(pick));
      const total = m((run) => run.profileChangeSeconds + run.eventSeconds);
      return [
        r.label,
        int(m((run) => run.profileChanges)),
        fixed(m((run) => run.profileChangeSeconds)),
        fixed(m((run) => run.eventSeconds)),
        fixed(total),
        int(r.events / total),
        fixed(m((run) => run.bareInsertSeconds)),
        int(r.parseRate / 2),
      ];
    }),
  );
  return `${rates}\n\nwhere the time goes (medians):\n\n${where}\n\nthe SQLite warehouse alone, one process, nothing else running (medians):\n\n${floor}`;
};

const main = async () => {
  // The stacks run the built bundles; Nx rebuilds only what changed.
  const inputs = selectedInputs();
  await buildStack();
  log(
    `inputs: ${inputs.map((input) => `${INPUTS[input].label} of ${int(EVENTS)} rows`).join(', ')} (made once, then reused)`,
  );
  const made: { label: string; path: string }[] = [];
  for (const input of inputs) {
    const { label, make } = INPUTS[input];
    made.push({ label, path: await make(EVENTS) });
  }
  const loadBefore = loadavg()[0];
  const results: Measured[] = [];
  for (const { label, path } of made) results.push(await measure(label, path));
  process.stdout.write(
    `\n${report(results)}\n\nmedians of ${RUNS} runs each; ${availableParallelism()} CPUs; load average ${fixed(loadBefore)} before, ${fixed(loadavg()[0])} after\n` +
      'rates: rows loaded per second; end to end from the start of the upload to the last commit (finished_at); peak MB: VmHWM of each service process\n',
  );
};

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack}\n`);
  process.exit(1);
});
