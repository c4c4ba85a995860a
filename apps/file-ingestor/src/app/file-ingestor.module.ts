import {
  HealthModule,
  PipelinePublisherModule,
} from '@event-pipeline/service-kit';
import { WarehouseModule } from '@event-pipeline/warehouse';
import { Module } from '@nestjs/common';
import {
  FILE_INGESTOR_CONFIG,
  readFileIngestorConfig,
} from './file-ingestor.config';
import { FileIngestion } from './file-ingestion.service';
import { ObjectNotificationsHandler } from './object-notifications.handler';
import { ObjectReader } from './object-reader';
import { ParserPoolShutdown, parserPoolProvider } from './parser-pool.provider';

@Module({
  imports: [HealthModule, PipelinePublisherModule, WarehouseModule.forRoot()],
  controllers: [ObjectNotificationsHandler],
  providers: [
    {
      provide: FILE_INGESTOR_CONFIG,
      useFactory: () => readFileIngestorConfig(),
    },
    parserPoolProvider,
    ParserPoolShutdown,
    FileIngestion,
    ObjectReader,
  ],
})
export class FileIngestorModule {}
