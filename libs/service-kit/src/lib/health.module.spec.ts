import { INestApplication, Module } from '@nestjs/common';
import { bootstrapService } from './bootstrap-service';
import { HealthModule } from './health.module';
import { MetricsRegistry } from './metrics.registry';
import { ReadinessRegistry } from './readiness.registry';

@Module({ imports: [HealthModule] })
class TestServiceModule {}

describe('HealthModule', () => {
  let app: INestApplication;
  let url: string;

  beforeAll(async () => {
    process.env['PORT'] = '0';
    app = await bootstrapService({
      name: 'test-service',
      rootModule: TestServiceModule,
      defaultHttpPort: 1,
    });
    url = await app.getUrl();
  });

  afterAll(async () => {
    delete process.env['PORT'];
    await app.close();
  });

  it('answers /healthz', async () => {
    const response = await fetch(`${url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('is not ready until every registered check passes', async () => {
    const readiness = app.get(ReadinessRegistry);
    let subscriptionsOpen = false;

    expect((await fetch(`${url}/readyz`)).status).toBe(503);

    readiness.register('subscriptions', () => subscriptionsOpen);
    const notReady = await fetch(`${url}/readyz`);
    expect(notReady.status).toBe(503);
    expect(await notReady.json()).toEqual({
      ready: false,
      checks: { subscriptions: false },
    });

    subscriptionsOpen = true;
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
  });

  it('renders registered metrics after the process metrics', async () => {
    app.get(MetricsRegistry).register(() => 'messages_received_total 3\n');
    const response = await fetch(`${url}/metrics`);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await response.text();
    expect(text).toMatch(
      /^# TYPE process_resident_memory_bytes gauge\nprocess_resident_memory_bytes \d+/,
    );
    expect(text).toContain('messages_received_total 3\n');
  });
});
