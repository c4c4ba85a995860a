import { startServiceForTest } from '@event-pipeline/service-kit/testing';
import { FileIngestorModule } from './file-ingestor.module';

describe('file-ingestor', () => {
  it('starts and answers /healthz', async () => {
    const { app, url } = await startServiceForTest(FileIngestorModule);
    try {
      const response = await fetch(`${url}/healthz`);
      expect(response.status).toBe(200);
    } finally {
      await app.close();
    }
  });
});
