import { runService } from '@event-pipeline/service-kit';
import { FileIngestorModule } from './app/file-ingestor.module';

runService({
  name: 'file-ingestor',
  rootModule: FileIngestorModule,
  defaultHttpPort: 8081,
});
