import { HealthModule } from '@event-pipeline/service-kit';
import { WarehouseModule } from '@event-pipeline/warehouse';
import { Module } from '@nestjs/common';
import { DeadLettersHandler } from './dead-letters.handler';
import { ErrorLogWriter } from './error-log.writer';
import { ErrorRecordsHandler } from './error-records.handler';

@Module({
  imports: [HealthModule, WarehouseModule.forRoot()],
  controllers: [ErrorRecordsHandler, DeadLettersHandler],
  providers: [ErrorLogWriter],
})
export class ErrorArchiverModule {}
