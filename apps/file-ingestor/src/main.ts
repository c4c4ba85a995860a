import { runPipelineService } from '@event-pipeline/service-kit';
import { FileIngestorModule } from './app/file-ingestor.module';

runPipelineService({
  name: 'file-ingestor',
  rootModule: FileIngestorModule,
  defaultHttpPort: 8081,
  // One file at a time: a file already keeps the cores and the publish
  // window busy, and memory stays bounded by one file's working set.
  pubsub: { flowControl: { maxMessages: 1 } },
});
