import { Global, Module } from '@nestjs/common';
import { HealthController } from './health.controller';
import { MetricsRegistry } from './metrics.registry';
import { ReadinessRegistry } from './readiness.registry';

/** `/healthz`, `/readyz` and `/metrics`, with registries any module can feed. */
@Global()
@Module({
  controllers: [HealthController],
  providers: [ReadinessRegistry, MetricsRegistry],
  exports: [ReadinessRegistry, MetricsRegistry],
})
export class HealthModule {}
