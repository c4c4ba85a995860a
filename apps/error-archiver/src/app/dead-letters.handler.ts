import {
  PubSubContext,
  PubSubMessageContract,
} from '@event-pipeline/pubsub-transport';
import { Controller, Logger } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { readDeadLetter } from './dead-letter';
import { deadLetterLogName } from './error-log-names';
import { ErrorLogWriter } from './error-log.writer';

/** Whatever arrives is kept, JSON or not. */
const deadLetters: PubSubMessageContract = { raw: true };

@Controller()
export class DeadLettersHandler {
  private readonly logger = new Logger(DeadLettersHandler.name);

  constructor(private readonly logs: ErrorLogWriter) {}

  @EventPattern('deadLetterArchiver', deadLetters)
  async archive(
    @Payload() data: Buffer,
    @Ctx() context: PubSubContext,
  ): Promise<void> {
    const letter = readDeadLetter(
      data,
      context.getAttributes(),
      context.getPublishTime(),
    );
    const name = deadLetterLogName(
      letter.subscription,
      letter.key,
      letter.file,
      letter.publishedAt,
    );
    const uri = await this.logs.write(name, [letter.record]);
    this.logger.warn(
      `dead-lettered message from ${letter.subscription} archived to ${uri}`,
    );
  }
}
