import { DEFAULT_PARSE_LIMITS } from '@event-pipeline/schema';
import { readFileIngestorConfig } from './file-ingestor.config';

describe('readFileIngestorConfig', () => {
  it('defaults every limit to the contract', () => {
    expect(readFileIngestorConfig({ PARSER_WORKERS: '1' }).limits).toEqual(
      DEFAULT_PARSE_LIMITS,
    );
  });

  it('parses on the main thread unless PARSER_WORKERS asks for workers', () => {
    expect(readFileIngestorConfig({}).parserWorkers).toBe(0);
    expect(readFileIngestorConfig({ PARSER_WORKERS: '3' }).parserWorkers).toBe(
      3,
    );
  });

  it('reads each limit from its own variable', () => {
    const config = readFileIngestorConfig({
      MAX_ROW_BYTES: '2048',
      MAX_COMPRESSION_RATIO: '50',
      EVENTS_PER_BATCH: '100',
    });
    expect(config.limits).toMatchObject({
      maxRowBytes: 2048,
      maxCompressionRatio: 50,
    });
    expect(config.outputs.eventsPerBatch).toBe(100);
  });

  it('stops on a bad value, naming the variable and what it takes', () => {
    expect(() => readFileIngestorConfig({ MAX_ELEMENT_BYTES: '16MB' })).toThrow(
      'MAX_ELEMENT_BYTES must be an integer from 1 to 9007199254740991, found "16MB"',
    );
    expect(() => readFileIngestorConfig({ EVENTS_PER_BATCH: '5000' })).toThrow(
      'EVENTS_PER_BATCH must be an integer from 1 to 1000, found "5000"',
    );
  });
});
