import { runService } from '@event-pipeline/service-kit';
import { ProfileUpdaterModule } from './app/profile-updater.module';

runService({
  name: 'profile-updater',
  rootModule: ProfileUpdaterModule,
  defaultHttpPort: 8083,
});
