import { startServiceForTest } from '@event-pipeline/service-kit/testing';
import { EventStreamerModule } from './event-streamer.module';

describe('event-streamer', () => {
  it('starts and answers /healthz', async () => {
    const { app, url } = await startServiceForTest(EventStreamerModule);
    try {
      const response = await fetch(`${url}/healthz`);
      expect(response.status).toBe(200);
    } finally {
      await app.close();
    }
  });
});
