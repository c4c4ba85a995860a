import { startServiceForTest } from '@event-pipeline/service-kit/testing';
import { ProfileUpdaterModule } from './profile-updater.module';

describe('profile-updater', () => {
  it('starts and answers /healthz', async () => {
    const { app, url } = await startServiceForTest(ProfileUpdaterModule);
    try {
      const response = await fetch(`${url}/healthz`);
      expect(response.status).toBe(200);
    } finally {
      await app.close();
    }
  });
});
