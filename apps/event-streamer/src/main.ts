import { runPipelineService } from '@event-pipeline/service-kit';
import { EventStreamerModule } from './app/event-streamer.module';

runPipelineService({
  name: 'event-streamer',
  rootModule: EventStreamerModule,
  defaultHttpPort: 8082,
  // One SQLite writer at a time does the work; a few messages in hand keep
  // decoding and validation ahead of it.
  pubsub: { flowControl: { maxMessages: 4 } },
});
