import { createWriteStream, existsSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import JSZip from 'jszip';
// The parsers' benchmark generators, so that both benchmarks measure the
// same kind of input; they are bench files of that project, not its API.
// eslint-disable-next-line @nx/enforce-module-boundaries
import {
  adaptyCsv,
  BENCH_DIR,
  ga4Events,
} from '../../../libs/parsers/bench/bench-inputs';

/** A pretty-printed JSON array of exactly `count` generated GA4 events. */
function* prettyEvents(count: number): Generator<string> {
  yield '[\n';
  let written = 0;
  for (const event of ga4Events()) {
    yield `${written === 0 ? '' : ',\n'}${JSON.stringify(event, null, '\t')}`;
    if (++written === count) break;
  }
  yield '\n]\n';
}

/**
 * A GA4 export ZIP of one array entry of exactly `count` events (the
 * parsers' generator, cut at a count rather than a size), written as a
 * stream, made once and kept beside the parsers' inputs.
 */
export const ga4ZipOfEvents = async (count: number): Promise<string> => {
  const path = join(BENCH_DIR, `ga4-${count}-events.zip`);
  if (existsSync(path)) return path;
  const zip = new JSZip();
  zip.file(
    'export/events_000000000000.json',
    Readable.from(prettyEvents(count)),
    {
      binary: true,
    },
  );
  const temporary = `${path}.partial`;
  await pipeline(
    zip.generateNodeStream({
      streamFiles: true,
      compression: 'DEFLATE',
      compressionOptions: { level: 6 },
    }),
    createWriteStream(temporary),
  );
  renameSync(temporary, path);
  return path;
};

/** An Adapty export CSV of `rows` data rows, the parsers' own benchmark input. */
export const adaptyCsvOfRows = (rows: number): Promise<string> =>
  adaptyCsv(rows);
