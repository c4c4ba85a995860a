import { startServiceForTest } from '@event-pipeline/service-kit/testing';
import { ErrorArchiverModule } from './error-archiver.module';

describe('error-archiver', () => {
  it('starts and answers /healthz', async () => {
    const { app, url } = await startServiceForTest(ErrorArchiverModule);
    try {
      const response = await fetch(`${url}/healthz`);
      expect(response.status).toBe(200);
    } finally {
      await app.close();
    }
  });
});
