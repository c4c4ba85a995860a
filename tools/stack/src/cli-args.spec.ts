import { parseIngestArgs, parseStartArgs } from './cli-args';

describe('parseIngestArgs', () => {
  it('takes files and folders, with a 10 minute timeout by default', () => {
    expect(parseIngestArgs(['a.csv', 'exports/'], {})).toEqual({
      help: false,
      paths: ['a.csv', 'exports/'],
      timeoutMs: 600_000,
    });
  });

  it('reads the timeout from --timeout, else INGEST_TIMEOUT_SECONDS', () => {
    const env = { INGEST_TIMEOUT_SECONDS: '30' };
    expect(parseIngestArgs(['a'], env).timeoutMs).toBe(30_000);
    expect(parseIngestArgs(['--timeout', '5', 'a'], env).timeoutMs).toBe(5000);
    expect(parseIngestArgs(['a', '--timeout=2.5'], env).timeoutMs).toBe(2500);
  });

  it('takes everything after -- as a path', () => {
    expect(parseIngestArgs(['--', '--odd-name.csv'], {}).paths).toEqual([
      '--odd-name.csv',
    ]);
  });

  it('asks for help', () => {
    expect(parseIngestArgs(['--help'], {}).help).toBe(true);
    expect(parseIngestArgs(['-h'], {}).help).toBe(true);
  });

  it('refuses no path, an unknown option and a bad timeout', () => {
    expect(() => parseIngestArgs([], {})).toThrow(/at least one file/);
    expect(() => parseIngestArgs(['--fast', 'a'], {})).toThrow(
      /Unknown option --fast/,
    );
    expect(() => parseIngestArgs(['a', '--timeout'], {})).toThrow(
      /--timeout needs a value/,
    );
    expect(() => parseIngestArgs(['a', '--timeout=0'], {})).toThrow(
      /--timeout must be a positive number/,
    );
    expect(() =>
      parseIngestArgs(['a'], { INGEST_TIMEOUT_SECONDS: 'soon' }),
    ).toThrow(/INGEST_TIMEOUT_SECONDS/);
  });
});

describe('parseStartArgs', () => {
  it('takes only --help', () => {
    expect(parseStartArgs([])).toEqual({ help: false });
    expect(parseStartArgs(['--help'])).toEqual({ help: true });
    expect(() => parseStartArgs(['--port=1'])).toThrow(
      /Unexpected argument --port=1/,
    );
  });
});
