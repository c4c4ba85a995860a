import { createParserPool, ParserPool } from '@event-pipeline/parsers';
import {
  Inject,
  Injectable,
  OnApplicationShutdown,
  Provider,
} from '@nestjs/common';
import {
  FILE_INGESTOR_CONFIG,
  FileIngestorConfig,
} from './file-ingestor.config';

export const PARSER_POOL = Symbol('PARSER_POOL');

/** The parser's worker threads, or null to parse on the main thread (PARSER_WORKERS=0). */
export const parserPoolProvider: Provider = {
  provide: PARSER_POOL,
  inject: [FILE_INGESTOR_CONFIG],
  useFactory: (config: FileIngestorConfig): ParserPool | null =>
    config.parserWorkers > 0
      ? createParserPool({ size: config.parserWorkers })
      : null,
};

/** Stops the workers once the transport has drained the file in progress. */
@Injectable()
export class ParserPoolShutdown implements OnApplicationShutdown {
  constructor(@Inject(PARSER_POOL) private readonly pool: ParserPool | null) {}

  async onApplicationShutdown(): Promise<void> {
    await this.pool?.close();
  }
}
