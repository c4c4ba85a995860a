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
 * One parse-only run of a file, with the worker pool the file-ingestor
 * starts (one worker per CPU but one), as the file-ingestor parses it.
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
