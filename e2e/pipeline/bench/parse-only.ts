import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
// The parsers' own benchmark harness: each run a plain-JavaScript process
// parsing the file with no sink, as the file-ingestor would.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { buildForBench } from '../../../libs/parsers/bench/bench-build';
// eslint-disable-next-line @nx/enforce-module-boundaries
import type { CaseResult } from '../../../libs/parsers/bench/bench-case';

let compiled: string | undefined;

/**
 * One parse-only run of a file: GA4 with the worker pool the file-ingestor
 * starts (one worker per CPU but one), Adapty in the calling thread, as
 * the file-ingestor parses each.
 */
export const parseOnly = (kind: 'ga4' | 'adapty', path: string): CaseResult => {
  compiled ??= buildForBench();
  const output = execFileSync(
    process.execPath,
    [
      join(compiled, 'bench-case.js'),
      kind === 'ga4' ? 'workers' : 'pipeline',
      path,
    ],
    { encoding: 'utf8', maxBuffer: 1 << 20 },
  );
  return JSON.parse(output.trim().split('\n').pop() as string) as CaseResult;
};
