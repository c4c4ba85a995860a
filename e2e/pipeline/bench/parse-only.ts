import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
// The parsers' own benchmark harness: each run a plain-JavaScript process
// parsing the file with no sink.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { buildForBench } from '../../../libs/parsers/bench/bench-build';
// eslint-disable-next-line @nx/enforce-module-boundaries
import type { CaseResult } from '../../../libs/parsers/bench/bench-case';

let compiled: string | undefined;

/**
 * One parse-only run of a file, with the parsers' worker pool (one worker
 * per CPU but one): the fastest the parsers read it.
 */
export const parseOnly = (path: string): CaseResult => {
  compiled ??= buildForBench();
  const output = execFileSync(
    process.execPath,
    [join(compiled, 'bench-case.js'), 'workers', path],
    { encoding: 'utf8', maxBuffer: 1 << 20 },
  );
  return JSON.parse(output.trim().split('\n').pop() as string) as CaseResult;
};
