import { ErrorRecordBatchDto, errorRecord } from '@event-pipeline/schema';
import { Warehouse } from '@event-pipeline/warehouse';
import { Logger } from '@nestjs/common';
import { ErrorLogWriter } from './error-log.writer';
import { ErrorRecordsHandler } from './error-records.handler';

const file = {
  bucket: 'event-inbox',
  name: 'adapty.csv',
  generation: '1726644121000000',
};

const batch = (origin: ErrorRecordBatchDto['origin']): ErrorRecordBatchDto => ({
  file,
  batchIndex: 3,
  origin,
  records: [
    errorRecord({
      source_file: 'gs://event-inbox/adapty.csv#1726644121000000',
      code: 'ROW_REJECTED',
      location: {},
      message: 'Row 0 of unified-events batch 3 was not loaded',
      occurred_at: '2026-11-27T04:00:00.000Z',
    }),
  ],
});

describe('ErrorRecordsHandler', () => {
  const write = jest.fn(
    async (name: string, _lines: unknown, _options: unknown) =>
      `gs://event-errors/${name}`,
  );
  const recordErrorBatch = jest.fn(async () => undefined);
  const handler = new ErrorRecordsHandler(
    { write } as unknown as ErrorLogWriter,
    { recordErrorBatch } as unknown as Warehouse,
  );

  beforeAll(() => Logger.overrideLogger(false));
  beforeEach(() => jest.clearAllMocks());

  it('keeps the first log of the rows a warehouse refused, and counts nothing again', async () => {
    await handler.archive(batch('event-streamer'));
    expect(write).toHaveBeenCalledWith(
      'errors/dt=2024-09-18/adapty.csv/1726644121000000/rejected-000003.ndjson',
      batch('event-streamer').records,
      { keepExisting: true },
    );
    expect(recordErrorBatch).not.toHaveBeenCalled();
  });

  it('replaces the log of a parser error batch, then counts the batch towards its file', async () => {
    await handler.archive(batch('file-ingestor'));
    expect(write).toHaveBeenCalledWith(
      'errors/dt=2024-09-18/adapty.csv/1726644121000000/errors-000003.ndjson',
      batch('file-ingestor').records,
      { keepExisting: false },
    );
    expect(recordErrorBatch).toHaveBeenCalledWith(batch('file-ingestor'));
  });
});
