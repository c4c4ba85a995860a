/**
 * Throughput and memory of the parsers on generated inputs at scale, each
 * beside its baseline in the same run. Every run of every case is its own
 * plain-JavaScript process, so the peak RSS is that case's.
 *
 *   nx run parsers:bench                   GA4 ~500 MB, Adapty 1,000,000 rows
 *   nx run parsers:bench -- --with-2gb     also a GA4 entry of ~2 GB
 *   BENCH_RUNS=5 nx run parsers:bench      runs per case (default 3)
 *   BENCH_NODE_FLAGS=--max-semi-space-size=64 nx run parsers:bench
 *                                          V8 flags for every measured process
 */
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { buildForBench } from './bench-build';
import {
  adaptyCsv,
  BENCH_DIR,
  caseLayoutCsv,
  ga4Records,
  ga4Zip,
} from './bench-inputs';
import type { CaseResult } from './bench-case';

const MB = 1e6;
const RUNS = Number(process.env['BENCH_RUNS'] ?? 3);
const NODE_FLAGS = (process.env['BENCH_NODE_FLAGS'] ?? '')
  .split(' ')
  .filter(Boolean);
const WITH_2GB =
  process.argv.includes('--with-2gb') || process.env['BENCH_GA4_2GB'] === '1';

let compiled = '';

const runCase = (name: string, path: string): CaseResult => {
  const output = execFileSync(
    process.execPath,
    [...NODE_FLAGS, join(compiled, 'bench-case.js'), name, path],
    {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    },
  );
  return JSON.parse(output.trim().split('\n').pop() as string) as CaseResult;
};

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? sorted[middle]
    : (sorted[middle - 1] + sorted[middle]) / 2;
};

interface Row {
  label: string;
  rows: number;
  mbPerSecond: number;
  rowsPerSecond: number;
  peakRssMb: number;
  seconds: number;
  cpuSeconds: number;
}

const measure = (
  label: string,
  name: string,
  path: string,
  bytes: number,
): Row => {
  const results: CaseResult[] = [];
  for (let i = 0; i < RUNS; i++) {
    const result = runCase(name, path);
    if (result.errors > 0)
      throw new Error(
        `${label}: ${result.errors} error records on generated input`,
      );
    results.push(result);
    process.stderr.write(
      `  ${label} run ${i + 1}: ${result.seconds.toFixed(2)} s, ${result.cpuSeconds.toFixed(2)} s CPU, ${result.peakRssMb.toFixed(0)} MB RSS\n`,
    );
  }
  const seconds = median(results.map((r) => r.seconds));
  return {
    label,
    rows: results[0].rows,
    seconds,
    mbPerSecond: bytes / MB / seconds,
    rowsPerSecond: results[0].rows / seconds,
    peakRssMb: median(results.map((r) => r.peakRssMb)),
    cpuSeconds: median(results.map((r) => r.cpuSeconds)),
  };
};

const table = (rows: Row[]) => {
  const header = [
    'case',
    'rows',
    'median s',
    'CPU s',
    'MB/s',
    'rows/s',
    'peak RSS MB',
  ];
  const lines = rows.map((r) => [
    r.label,
    r.rows.toLocaleString('en-US'),
    r.seconds.toFixed(2),
    r.cpuSeconds.toFixed(2),
    r.mbPerSecond.toFixed(1),
    Math.round(r.rowsPerSecond).toLocaleString('en-US'),
    r.peakRssMb.toFixed(0),
  ]);
  return [header, header.map(() => '---'), ...lines]
    .map((cells) => `| ${cells.join(' | ')} |`)
    .join('\n');
};

const load = () => loadavg()[0].toFixed(1);

const main = async () => {
  compiled = buildForBench();
  process.stderr.write(`inputs in ${BENCH_DIR} (made once, then reused)\n`);
  const ga4 = await ga4Zip(500 * MB);
  const records = await ga4Records(500 * MB);
  const csv = await adaptyCsv(1_000_000);
  const csvBytes = statSync(csv).size;
  const caseCsv = await caseLayoutCsv(1_000_000);
  const caseCsvBytes = statSync(caseCsv).size;
  const zipBytes = statSync(ga4.path).size;
  process.stderr.write(
    `GA4: ${(ga4.facts.jsonBytes / MB).toFixed(0)} MB of JSON, ${ga4.facts.events} events, ${(zipBytes / MB).toFixed(1)} MB zipped (${(ga4.facts.jsonBytes / zipBytes).toFixed(1)}:1)\n` +
      `Adapty export layout: ${(csvBytes / MB).toFixed(0)} MB, case layout: ${(caseCsvBytes / MB).toFixed(0)} MB, 1,000,000 rows each\n`,
  );
  const loadBefore = load();
  const rows = [
    measure('GA4 ZIP, worker pool', 'workers', ga4.path, ga4.facts.jsonBytes),
    measure(
      'GA4 ZIP, calling thread only',
      'pipeline',
      ga4.path,
      ga4.facts.jsonBytes,
    ),
    measure(
      'GA4 baseline: JSON.parse per event',
      'json-parse',
      records,
      ga4.facts.jsonBytes,
    ),
    measure('Adapty CSV, export layout, worker pool', 'workers', csv, csvBytes),
    measure(
      'Adapty CSV, export layout, calling thread only',
      'pipeline',
      csv,
      csvBytes,
    ),
    measure('Adapty baseline: papaparse', 'papaparse', csv, csvBytes),
    measure(
      'Adapty CSV, case layout, worker pool',
      'workers',
      caseCsv,
      caseCsvBytes,
    ),
    measure(
      'Adapty CSV, case layout, calling thread only',
      'pipeline',
      caseCsv,
      caseCsvBytes,
    ),
    measure(
      'Case layout baseline: papaparse',
      'papaparse',
      caseCsv,
      caseCsvBytes,
    ),
  ];
  if (WITH_2GB) {
    const large = await ga4Zip(2000 * MB);
    process.stderr.write(
      `GA4 large: ${(large.facts.jsonBytes / MB).toFixed(0)} MB of JSON, ${(statSync(large.path).size / MB).toFixed(1)} MB zipped\n`,
    );
    rows.push(
      measure(
        'GA4 ZIP ~2 GB, worker pool',
        'workers',
        large.path,
        large.facts.jsonBytes,
      ),
    );
  }
  const flags = NODE_FLAGS.length > 0 ? NODE_FLAGS.join(' ') : 'none';
  process.stdout.write(
    `\n${table(rows)}\n\nmedians of ${RUNS} runs, one process per run; ${availableParallelism()} CPUs; load average ${loadBefore} before, ${load()} after; V8 flags: ${flags}\n` +
      'MB/s: uncompressed JSON for GA4, CSV bytes for Adapty; CPU s: all threads of the process\n',
  );
};

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack}\n`);
  process.exit(1);
});
