import { FileAccountingRow } from '@event-pipeline/schema';
import { waitForAccounting } from './accounting-wait';

const withStatus = (source_file: string, status: string) =>
  ({ source_file, status }) as FileAccountingRow;

describe('waitForAccounting', () => {
  it('polls until every file is done or failed, and stops reading a finished file', async () => {
    const reads: string[] = [];
    // Each read takes the next answer; the last one repeats.
    const script: Record<string, (FileAccountingRow | null)[]> = {
      a: [null, withStatus('a', 'processing'), withStatus('a', 'done')],
      b: [withStatus('b', 'failed')],
    };
    const result = await waitForAccounting(
      async (file) => {
        reads.push(file);
        const answers = script[file];
        return answers.length > 1 ? (answers.shift() ?? null) : answers[0];
      },
      ['a', 'b'],
      { timeoutMs: 5000, intervalMs: 1 },
    );
    expect(result.get('a')?.status).toBe('done');
    expect(result.get('b')?.status).toBe('failed');
    expect(reads.filter((file) => file === 'b')).toHaveLength(1);
    expect(reads.filter((file) => file === 'a')).toHaveLength(3);
  });

  it('returns what it last read when the time is up', async () => {
    const result = await waitForAccounting(
      async (file) => (file === 'a' ? withStatus('a', 'processing') : null),
      ['a', 'b'],
      { timeoutMs: 50, intervalMs: 10 },
    );
    expect(result.get('a')?.status).toBe('processing');
    expect(result.get('b')).toBeNull();
  });
});
