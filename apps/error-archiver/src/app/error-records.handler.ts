import { PubSubMessageContract } from '@event-pipeline/pubsub-transport';
import {
  ErrorRecordBatchDto,
  errorBatchLogName,
  rejectedRowsLogName,
} from '@event-pipeline/schema';
import { Warehouse, WAREHOUSE } from '@event-pipeline/warehouse';
import { Controller, Inject, Logger } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { ErrorLogWriter } from './error-log.writer';

const errorRecordBatches: PubSubMessageContract = { dto: ErrorRecordBatchDto };

@Controller()
export class ErrorRecordsHandler {
  private readonly logger = new Logger(ErrorRecordsHandler.name);

  constructor(
    private readonly logs: ErrorLogWriter,
    @Inject(WAREHOUSE) private readonly warehouse: Warehouse,
  ) {}

  /**
   * Archives a batch of error records, then counts it towards its file: a
   * file is done only once its error records are in the archive. The rows
   * a warehouse refused keep their first log: told again when an event
   * batch comes back, they may lack the warehouse's reasons.
   */
  @EventPattern('errorArchiver', errorRecordBatches)
  async archive(@Payload() batch: ErrorRecordBatchDto): Promise<void> {
    const fromWarehouse = batch.origin === 'event-streamer';
    const name = fromWarehouse
      ? rejectedRowsLogName(batch.file, batch.batchIndex)
      : errorBatchLogName(batch.file, batch.batchIndex);
    const uri = await this.logs.write(name, batch.records, {
      keepExisting: fromWarehouse,
    });
    // Refused rows were counted when the event batch was written.
    if (!fromWarehouse) await this.warehouse.recordErrorBatch(batch);
    this.logger.debug(
      `${batch.records.length} error records archived to ${uri}`,
    );
  }
}
