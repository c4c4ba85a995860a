import { PubSubMessageContract } from '@event-pipeline/pubsub-transport';
import { ProfileChangeBatchDto } from '@event-pipeline/schema';
import {
  MicroBatcher,
  ProfileChangeBatch,
  Warehouse,
  WAREHOUSE,
} from '@event-pipeline/warehouse';
import {
  Controller,
  Inject,
  Logger,
  OnApplicationShutdown,
} from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';

const profileChangeBatches: PubSubMessageContract = {
  dto: ProfileChangeBatchDto,
};

/**
 * Each ordering key holds one message at a time, so a service has at most
 * as many messages in hand as there are keys; the warehouse takes all of
 * them in one transaction (one MERGE on BigQuery), so they are gathered
 * into micro-batches. The fold is order independent and idempotent, so a
 * redelivery is harmless.
 */
@Controller()
export class ProfileChangesHandler implements OnApplicationShutdown {
  private readonly logger = new Logger(ProfileChangesHandler.name);
  private readonly batcher: MicroBatcher<ProfileChangeBatch>;

  constructor(@Inject(WAREHOUSE) private readonly warehouse: Warehouse) {
    this.batcher = new MicroBatcher<ProfileChangeBatch>(
      async (batches) => {
        await this.apply(batches);
        return batches.map(() => undefined);
      },
      {
        maxItems: 500,
        maxWaitMs: 20,
      },
    );
  }

  @EventPattern('profileUpdater', profileChangeBatches)
  fold(@Payload() batch: ProfileChangeBatchDto): Promise<void> {
    return this.batcher.submit(batch);
  }

  onApplicationShutdown(): Promise<void> {
    return this.batcher.flush();
  }

  private async apply(batches: ProfileChangeBatch[]): Promise<void> {
    const result = await this.warehouse.applyProfileChanges(batches);
    this.logger.debug(
      `${result.committed} batches folded, ${result.redelivered} redelivered, ` +
        `${result.profilesChanged} profiles changed`,
    );
  }
}
