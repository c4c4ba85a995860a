import { retryWhileBusy } from './sqlite-busy';

const sqliteError = (code: string) =>
  Object.assign(new Error(`${code}: database is locked`), { code });

/** An attempt that fails with each error given, in turn, then returns 'done'. */
const failingWith = (...errors: Error[]) => {
  const attempt = jest.fn(() => {
    const error = errors[attempt.mock.calls.length - 1];
    if (error) throw error;
    return 'done';
  });
  return attempt;
};

describe('retryWhileBusy', () => {
  it('returns what the attempt returns, trying once when nothing is locked', async () => {
    const attempt = failingWith();
    await expect(retryWhileBusy(attempt)).resolves.toBe('done');
    expect(attempt).toHaveBeenCalledTimes(1);
  });

  it('tries again while the database is busy, whatever the extended code', async () => {
    const attempt = failingWith(
      sqliteError('SQLITE_BUSY'),
      sqliteError('SQLITE_BUSY_RECOVERY'),
      sqliteError('SQLITE_BUSY'),
    );
    await expect(retryWhileBusy(attempt)).resolves.toBe('done');
    expect(attempt).toHaveBeenCalledTimes(4);
  });

  it('throws any other error at once', async () => {
    const attempt = failingWith(sqliteError('SQLITE_CONSTRAINT_UNIQUE'));
    await expect(retryWhileBusy(attempt)).rejects.toThrow(
      'SQLITE_CONSTRAINT_UNIQUE',
    );
    expect(attempt).toHaveBeenCalledTimes(1);
  });

  it('gives up with the busy error once the timeout has passed', async () => {
    const attempt = jest.fn(() => {
      throw sqliteError('SQLITE_BUSY');
    });
    await expect(retryWhileBusy(attempt, 20)).rejects.toThrow('SQLITE_BUSY');
    expect(attempt.mock.calls.length).toBeGreaterThan(1);
  });
});
