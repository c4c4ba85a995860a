/**
 * Runs one benchmark case in this process and prints one JSON line: rows,
 * seconds and the process's peak resident set. Started by parsers.bench.ts,
 * one process per run, so each peak RSS is the case's own.
 */
import { createReadStream, statSync } from 'node:fs';
import { Readable } from 'node:stream';
import Papa from 'papaparse';
import { createParserPool, parseSourceFile, ParserPool } from '../src';
import { RECORD_SEPARATOR } from './bench-inputs';

export interface CaseResult {
  rows: number;
  errors: number;
  seconds: number;
  /** CPU time of every thread of the process. */
  cpuSeconds: number;
  peakRssMb: number;
}

const FILE = { bucket: 'bench', name: 'input', generation: '1' };

const pipelineCase = async (path: string, pool?: ParserPool) => {
  let rows = 0;
  let errors = 0;
  const input = createReadStream(path, { highWaterMark: 1 << 20 });
  const size = statSync(path).size;
  for await (const chunk of parseSourceFile(input, {
    file: FILE,
    pool,
    size,
  })) {
    rows += chunk.rowsRead;
    errors += chunk.errors.ends.length;
  }
  return { rows, errors };
};

/** A small Adapty file and a small GA4 ZIP, to have every worker loaded before the clock starts. */
const warmUp = async (pool: ParserPool) => {
  const csv =
    'user_id,Event_Name,event_datetime\n' +
    'u,trial_started,2024-01-01T00:00:00Z\n'.repeat(200);
  const rounds = Array.from({ length: pool.size * 4 }, async () => {
    for await (const chunk of parseSourceFile(
      Readable.from([Buffer.from(csv)]),
      { file: FILE, pool, chunkRows: 10 },
    ))
      void chunk;
  });
  await Promise.all(rounds);
};

let pool: ParserPool | undefined;

const workersCase = (path: string) => pipelineCase(path, pool);
/** JSON.parse of each event, split at the record separators: the floor for GA4. */
const jsonParseCase = async (path: string) => {
  const separator = RECORD_SEPARATOR.charCodeAt(0);
  let rows = 0;
  let carry: Buffer = Buffer.alloc(0);
  const parse = (record: Buffer) => {
    const end = record.lastIndexOf(0x7d) + 1;
    if (end > 0) {
      JSON.parse(record.toString('utf8', 0, end));
      rows++;
    }
  };
  for await (const data of createReadStream(path, { highWaterMark: 1 << 20 })) {
    const chunk =
      carry.length === 0
        ? (data as Buffer)
        : Buffer.concat([carry, data as Buffer]);
    let start = 0;
    for (
      let at = chunk.indexOf(separator);
      at >= 0;
      at = chunk.indexOf(separator, start)
    ) {
      parse(chunk.subarray(start, at));
      start = at + 1;
    }
    carry = chunk.subarray(start);
  }
  parse(carry);
  return { rows, errors: 0 };
};

/** papaparse over the same CSV, streamed, rows counted: the floor for Adapty. */
const papaparseCase = (path: string) =>
  new Promise<{ rows: number; errors: number }>((resolve, reject) => {
    let rows = 0;
    let errors = 0;
    Papa.parse<string[]>(
      createReadStream(path, { highWaterMark: 1 << 20 }) as unknown as File,
      {
        delimiter: ',',
        newline: '\n',
        chunk: (results) => {
          rows += results.data.length;
          errors += results.errors.length;
        },
        complete: () => resolve({ rows: rows - 1, errors }),
        error: reject,
      },
    );
  });

const CASES: Record<
  string,
  (path: string) => Promise<{ rows: number; errors: number }>
> = {
  pipeline: (path) => pipelineCase(path),
  workers: workersCase,
  'json-parse': jsonParseCase,
  papaparse: papaparseCase,
};

const main = async () => {
  const [name, path] = process.argv.slice(2);
  const run = CASES[name];
  if (!run || !path)
    throw new Error(
      `usage: bench-case <${Object.keys(CASES).join('|')}> <input>`,
    );
  if (name === 'workers') {
    pool = createParserPool();
    await warmUp(pool);
  }
  const started = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  const { rows, errors } = await run(path);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const { user, system } = process.cpuUsage(cpu);
  const result: CaseResult = {
    rows,
    errors,
    seconds,
    cpuSeconds: (user + system) / 1e6,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  };
  await pool?.close();
  process.stdout.write(`${JSON.stringify(result)}\n`);
};

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack}\n`);
  process.exit(1);
});
