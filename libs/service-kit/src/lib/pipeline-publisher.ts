import { PubSubClient, PubSubRecord } from '@event-pipeline/pubsub-transport';
import { TopicKey } from '@event-pipeline/schema';
import {
  Inject,
  Injectable,
  Module,
  OnApplicationShutdown,
} from '@nestjs/common';
import { lastValueFrom } from 'rxjs';

/**
 * Publishes to the pipeline's topics and resolves once Pub/Sub has accepted
 * the message. Closed (pending publishes flushed) when the application shuts
 * down, after the transport has drained its handlers.
 */
@Injectable()
export class PipelinePublisher implements OnApplicationShutdown {
  constructor(@Inject(PubSubClient) private readonly client: PubSubClient) {}

  /** The message id once accepted; rejects naming the topic otherwise. */
  publish(
    topic: TopicKey,
    data: unknown,
    options: { orderingKey?: string; attributes?: Record<string, string> } = {},
  ): Promise<string> {
    const record =
      options.orderingKey || options.attributes
        ? new PubSubRecord(data, options)
        : data;
    return lastValueFrom(this.client.emit<string>(topic, record));
  }

  onApplicationShutdown(): Promise<void> {
    return this.client.close();
  }
}

@Module({
  providers: [
    { provide: PubSubClient, useFactory: () => new PubSubClient() },
    PipelinePublisher,
  ],
  exports: [PipelinePublisher],
})
export class PipelinePublisherModule {}
