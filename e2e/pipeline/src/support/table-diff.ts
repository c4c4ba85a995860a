import { stableJson } from '@event-pipeline/schema/testing';

type Json = Record<string, unknown>;

export interface TableDiff {
  /** How many keys are expected but absent, present but not expected, in both but with different rows, present more than once. */
  counts: {
    missing: number;
    unexpected: number;
    differing: number;
    repeated: number;
  };
  /** The first few of each, to read. */
  examples: {
    missing: string[];
    unexpected: string[];
    differing: { key: string; actual: Json; expected: Json }[];
    repeated: string[];
  };
}

const FIRST = 3;

const indexBy = (rows: readonly Json[], key: string) => {
  const map = new Map<string, Json>();
  const repeated: string[] = [];
  for (const row of rows) {
    const id = String(row[key]);
    if (map.has(id)) repeated.push(id);
    map.set(id, row);
  }
  return { map, repeated };
};

/**
 * Compares two tables row by row by a key, after the same view of both.
 * All counts zero means equal as sets of rows, with no key repeated; the
 * examples keep a failure readable when tables of many thousand rows differ.
 */
export const diffByKey = (
  actual: readonly Json[],
  expected: readonly Json[],
  key: string,
): TableDiff => {
  const have = indexBy(actual, key);
  const want = indexBy(expected, key).map;
  const missing = [...want.keys()].filter((id) => !have.map.has(id));
  const unexpected = [...have.map.keys()].filter((id) => !want.has(id));
  const differing = [...want]
    .filter(([id, row]) => {
      const got = have.map.get(id);
      return got !== undefined && stableJson(got) !== stableJson(row);
    })
    .map(([id, row]) => ({
      key: id,
      actual: have.map.get(id) as Json,
      expected: row,
    }));
  return {
    counts: {
      missing: missing.length,
      unexpected: unexpected.length,
      differing: differing.length,
      repeated: have.repeated.length,
    },
    examples: {
      missing: missing.slice(0, FIRST),
      unexpected: unexpected.slice(0, FIRST),
      differing: differing.slice(0, FIRST),
      repeated: have.repeated.slice(0, FIRST),
    },
  };
};

/** What `diffByKey` gives for equal tables. */
export const NO_DIFFERENCE: TableDiff = {
  counts: { missing: 0, unexpected: 0, differing: 0, repeated: 0 },
  examples: { missing: [], unexpected: [], differing: [], repeated: [] },
};
