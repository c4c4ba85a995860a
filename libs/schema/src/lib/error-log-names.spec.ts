import {
  deadLetterLogName,
  errorBatchLogName,
  rejectedRowsLogName,
} from './error-log-names';

const file = {
  bucket: 'event-inbox',
  name: 'exports/day 1.zip',
  generation: '1726644121000000',
};

describe('error log names', () => {
  it('files logs under the date of the object generation, its name and its generation', () => {
    expect(errorBatchLogName(file, 7)).toBe(
      'errors/dt=2024-09-18/exports/day 1.zip/1726644121000000/errors-000007.ndjson',
    );
    expect(rejectedRowsLogName(file, 12)).toBe(
      'errors/dt=2024-09-18/exports/day 1.zip/1726644121000000/rejected-000012.ndjson',
    );
  });

  it('names the logs of a generation that is no date, as a dead letter may carry, under dt=unknown', () => {
    for (const generation of ['12345678901234567890123', 'soon', '']) {
      expect(errorBatchLogName({ ...file, generation }, 0)).toBe(
        `errors/dt=unknown/exports/day 1.zip/${generation}/errors-000000.ndjson`,
      );
    }
  });

  it('puts a dead letter under its file when it names one, else under its publish date', () => {
    const at = new Date('2026-11-26T10:00:00Z');
    expect(deadLetterLogName('event-streamer', 'abc', file, at)).toBe(
      'errors/dt=2024-09-18/exports/day 1.zip/1726644121000000/dead-letters/event-streamer-abc.ndjson',
    );
    expect(deadLetterLogName('event-streamer', 'abc', undefined, at)).toBe(
      'errors/dt=2026-11-26/_dead-letters/event-streamer/abc.ndjson',
    );
  });
});
