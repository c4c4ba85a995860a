import { errorRecord, scopeOfErrorCode, truncateUtf8 } from './error-record';

describe('error records', () => {
  it('derives the scope from the code', () => {
    expect(scopeOfErrorCode('CORRUPT_ZIP')).toBe('file');
    expect(scopeOfErrorCode('TRUNCATED_JSON')).toBe('entry');
    expect(scopeOfErrorCode('INVALID_DECIMAL')).toBe('row');
    expect(scopeOfErrorCode('DEAD_LETTERED')).toBe('message');
  });

  it('cuts the raw record to 4 KiB of UTF-8 without splitting a character', () => {
    const raw = 'é'.repeat(3000); // 6000 bytes
    const record = errorRecord({
      source_file: 'gs://b/o#1',
      location: { line: 3 },
      code: 'MALFORMED_ROW',
      message: 'expected 7 fields, found 8',
      raw,
      occurred_at: '2026-01-01T00:00:00.000Z',
    });
    expect(Buffer.byteLength(record.raw ?? '', 'utf8')).toBe(4096);
    expect(record.raw).toBe('é'.repeat(2048));
    expect(record).toMatchObject({ scope: 'row', location: { line: 3 } });
  });

  it('keeps short text as is and steps back over a cut multi-byte character', () => {
    expect(truncateUtf8('abc', 10)).toBe('abc');
    expect(truncateUtf8('ab€', 4)).toBe('ab');
  });
});
