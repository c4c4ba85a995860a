import { parseSourceFileUri, sourceFileUri } from './source-file';

describe('source file uri', () => {
  it('round-trips object names with slashes and hashes', () => {
    const file = {
      bucket: 'inbox',
      name: 'exports/day#1/events.zip',
      generation: '1712345678901234',
    };
    expect(sourceFileUri(file)).toBe(
      'gs://inbox/exports/day#1/events.zip#1712345678901234',
    );
    expect(parseSourceFileUri(sourceFileUri(file))).toEqual(file);
  });

  it('rejects anything else with what it expected', () => {
    expect(() => parseSourceFileUri('gs://inbox/events.zip')).toThrow(
      /Expected gs:\/\/bucket\/object#generation/,
    );
  });
});
