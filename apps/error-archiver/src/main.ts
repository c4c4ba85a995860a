import { runService } from '@event-pipeline/service-kit';
import { ErrorArchiverModule } from './app/error-archiver.module';

runService({
  name: 'error-archiver',
  rootModule: ErrorArchiverModule,
  defaultHttpPort: 8084,
});
