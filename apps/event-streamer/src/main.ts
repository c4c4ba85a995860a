import { runService } from '@event-pipeline/service-kit';
import { EventStreamerModule } from './app/event-streamer.module';

runService({
  name: 'event-streamer',
  rootModule: EventStreamerModule,
  defaultHttpPort: 8082,
});
