import {
  asMultiset,
  expectedEventView,
  profileView,
  readExpectedSamples,
} from '@event-pipeline/schema/testing';
import { ingestFiles } from '@event-pipeline/stack';
import { profileColumnMismatches } from './support/canonical';
import { SAMPLE_FILES, samplePath } from './support/paths';
import { startTestStack, TestStack } from './support/test-stack';

const expected = readExpectedSamples(samplePath('expected.json'));

describe('the four sample files through the running pipeline', () => {
  let env: TestStack;

  beforeAll(async () => {
    // The parser's worker thread, as the bundle ships it (the stack's own
    // tests load the samples on the main thread, the default).
    env = await startTestStack('samples', { PARSER_WORKERS: '1' });
    const rows = await ingestFiles(SAMPLE_FILES.map(samplePath), {
      stack: env.stack,
      timeoutMs: 120_000,
    });
    // The tables are compared once every file is finished.
    expect(rows.map((row) => row.status)).toEqual(
      SAMPLE_FILES.map(() => 'done'),
    );
  });

  afterAll(() => env?.stop());

  it('load every sample row, balanced, with no error', () => {
    for (const accounting of env.warehouse().allAccounting()) {
      expect(accounting).toMatchObject({
        status: 'done',
        duplicates: 0,
        row_errors: 0,
        file_errors: 0,
      });
      expect(accounting.rows_loaded).toBe(accounting.rows_read);
    }
  });

  it('give exactly the expected unified_events, as a multiset', () => {
    const events = env.warehouse().events();
    expect(events).toHaveLength(expected.unified_events.length);
    expect(asMultiset(events.map((e) => expectedEventView({ ...e })))).toEqual(
      asMultiset(expected.unified_events.map(expectedEventView)),
    );
  });

  it('give exactly the expected profiles', () => {
    expect(
      asMultiset(
        env
          .warehouse()
          .profiles()
          .map((p) => profileView({ ...p })),
      ),
    ).toEqual(asMultiset(expected.profiles.map(profileView)));
  });

  it("fill every row's state, and Adapty rows' attributes, from the user's profile", () => {
    const warehouse = env.warehouse();
    expect(
      profileColumnMismatches(warehouse.events(), warehouse.profiles()),
    ).toEqual([]);
  });

  it('keep every service running', () => {
    expect(env.unexpectedExits).toEqual([]);
  });
});
