import { FileAccountingRow } from '@event-pipeline/schema';
import { skipReason } from './known-file';

const row = (changes: Partial<FileAccountingRow>): FileAccountingRow => ({
  source_file: 'gs://event-inbox/a.csv#1',
  kind: 'adapty',
  status: 'processing',
  rows_read: null,
  rows_loaded: 0,
  duplicates: 0,
  rows_rejected: 0,
  row_errors: null,
  file_errors: null,
  profile_changes: null,
  event_batches: null,
  profile_change_batches: null,
  error_batches: null,
  failed_as_whole: null,
  started_at: '2026-11-26T10:00:00.000Z',
  parsed_at: null,
  finished_at: null,
  updated_at: '2026-11-26T10:00:00.000Z',
  ...changes,
});

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
