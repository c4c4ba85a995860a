import { join } from 'node:path';
// The parsers' benchmark generators, so that both benchmarks measure the
// same kind of input; they are bench files of that project, not its API.
// eslint-disable-next-line @nx/enforce-module-boundaries
import {
  adaptyCsv,
  BENCH_DIR,
  prettyGa4Array,
  writeGa4Zip,
  writeOnce,
} from '../../../libs/parsers/bench/bench-inputs';

/**
 * A GA4 export ZIP of one array entry of exactly `count` events (the
 * parsers' generator, cut at a count rather than a size), made once and
 * kept beside the parsers' inputs.
 */
export const ga4ZipOfEvents = (count: number): Promise<string> =>
  writeOnce(join(BENCH_DIR, `ga4-${count}-events.zip`), (temporary) =>
    writeGa4Zip(
      temporary,
      prettyGa4Array(
        { jsonBytes: 0, events: 0 },
        (written) => written.events === count,
      ),
    ),
  );

/** An Adapty export CSV of `rows` data rows, the parsers' own benchmark input. */
export const adaptyCsvOfRows = (rows: number): Promise<string> =>
  adaptyCsv(rows);
