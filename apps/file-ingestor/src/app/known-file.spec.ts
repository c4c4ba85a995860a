import { FileAccountingRow } from '@event-pipeline/schema';
import { skipReason } from './known-file';

/** The columns the rule reads; the rest of the row does not matter to it. */
const row = (changes: Partial<FileAccountingRow>): FileAccountingRow =>
  ({
    status: 'processing',
    event_batches: null,
    ...changes,
  }) as FileAccountingRow;

describe('skipReason', () => {
  it('reads a file again while only its start is known: the read before may have stopped half way', () => {
    expect(skipReason(row({}))).toBeNull();
  });

  it('skips a settled file', () => {
    expect(skipReason(row({ status: 'done' }))).toBe('is already done');
    expect(skipReason(row({ status: 'failed' }))).toBe('is already failed');
  });

  it('skips a file whose finished manifest is recorded, though its batches are still committing', () => {
    expect(
      skipReason(row({ rows_read: 10, event_batches: 1, error_batches: 0 })),
    ).toMatch(/finished manifest recorded/);
  });
});
