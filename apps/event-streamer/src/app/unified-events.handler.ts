import { PubSubMessageContract } from '@event-pipeline/pubsub-transport';
import {
  ErrorRecordBatchDto,
  UnifiedEventBatchDto,
} from '@event-pipeline/schema';
import { PipelinePublisher } from '@event-pipeline/service-kit';
import { Warehouse, WAREHOUSE } from '@event-pipeline/warehouse';
import { Controller, Inject, Logger } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';

const unifiedEventBatches: PubSubMessageContract = {
  dto: UnifiedEventBatchDto,
};

@Controller()
export class UnifiedEventsHandler {
  private readonly logger = new Logger(UnifiedEventsHandler.name);

  constructor(
    @Inject(WAREHOUSE) private readonly warehouse: Warehouse,
    private readonly publisher: PipelinePublisher,
  ) {}

  /**
   * Idempotent by event_id and by batch: a redelivered batch writes nothing.
   * Rows the warehouse refuses go to the error archive; the batch is acked
   * only once they are published, so none is lost.
   */
  @EventPattern('eventStreamer', unifiedEventBatches)
  async write(@Payload() batch: UnifiedEventBatchDto): Promise<void> {
    const result = await this.warehouse.insertEventBatch(batch);
    if (result.rejected.length > 0) {
      const rejections: ErrorRecordBatchDto = {
        file: batch.file,
        batchIndex: batch.batchIndex,
        origin: 'event-streamer',
        records: result.rejected,
      };
      await this.publisher.publish('ingestErrors', rejections);
    }
    this.logger.debug(
      `${batch.file.name}#${batch.file.generation} batch ${batch.batchIndex}: ` +
        `${result.loaded} loaded, ${result.duplicates} duplicates, ${result.rejected.length} rejected`,
    );
  }
}
