import { runPipelineService } from '@event-pipeline/service-kit';
import { ProfileUpdaterModule } from './app/profile-updater.module';

runPipelineService({
  name: 'profile-updater',
  rootModule: ProfileUpdaterModule,
  defaultHttpPort: 8083,
  // Each message holds its ordering key until acked, so the micro-batches
  // can only be as large as the messages in hand.
  pubsub: { flowControl: { maxMessages: 1000 } },
});
