import { runPipelineService } from '@event-pipeline/service-kit';
import { ErrorArchiverModule } from './app/error-archiver.module';

runPipelineService({
  name: 'error-archiver',
  rootModule: ErrorArchiverModule,
  defaultHttpPort: 8084,
  pubsub: { flowControl: { maxMessages: 16 } },
});
