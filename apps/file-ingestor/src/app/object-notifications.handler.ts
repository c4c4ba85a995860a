import {
  PubSubContext,
  PubSubMessageContract,
} from '@event-pipeline/pubsub-transport';
import {
  GcsNotificationAttributesDto,
  GcsObjectResourceDto,
  resolveTopology,
} from '@event-pipeline/schema';
import { Controller, Logger } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { FileIngestion } from './file-ingestion.service';
import { decideInboxObject } from './inbox-object';

const objectNotifications: PubSubMessageContract = {
  dto: GcsObjectResourceDto,
  attributesDto: GcsNotificationAttributesDto,
};

@Controller()
export class ObjectNotificationsHandler {
  private readonly logger = new Logger(ObjectNotificationsHandler.name);
  private readonly topology = resolveTopology();

  constructor(private readonly ingestion: FileIngestion) {}

  @EventPattern('fileIngestor', objectNotifications)
  async handle(
    @Payload() object: GcsObjectResourceDto,
    @Ctx() context: PubSubContext,
  ): Promise<void> {
    // The transport has validated the attributes against their DTO.
    const { eventType } = context.getAttributes();
    const decision = decideInboxObject(eventType, object, this.topology);
    if (!decision.ingest) {
      const message = `ignored: ${decision.reason}`;
      if (decision.routine) this.logger.debug(message);
      else this.logger.log(message);
      return;
    }
    await this.ingestion.ingest(decision.file);
  }
}
