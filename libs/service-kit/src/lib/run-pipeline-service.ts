import {
  PrometheusTransportMetrics,
  PubSubServer,
  PubSubServerOptions,
} from '@event-pipeline/pubsub-transport';
import { INestApplication } from '@nestjs/common';
import {
  bootstrapService,
  runService,
  ServiceDefinition,
} from './bootstrap-service';
import { MetricsRegistry } from './metrics.registry';
import { ReadinessRegistry } from './readiness.registry';

export interface PipelineServiceDefinition
  extends Omit<ServiceDefinition, 'configure'> {
  /** Options of the Pub/Sub transport that feeds the service's handlers. */
  pubsub?: Omit<PubSubServerOptions, 'metrics'>;
}

/**
 * A service whose `@EventPattern` handlers are fed by Pub/Sub: the transport
 * is connected, `/readyz` waits for its subscriptions and `/metrics` shows
 * its counters.
 */
const withPubSub = (
  definition: PipelineServiceDefinition,
): ServiceDefinition => ({
  ...definition,
  configure: (app: INestApplication) => {
    const metrics = new PrometheusTransportMetrics();
    const server = new PubSubServer({ ...definition.pubsub, metrics });
    app.connectMicroservice({ strategy: server }, { inheritAppConfig: true });
    app.get(ReadinessRegistry).register('pubsub', () => server.isReady());
    app.get(MetricsRegistry).register(() => metrics.render());
  },
});

export const bootstrapPipelineService = (
  definition: PipelineServiceDefinition,
): Promise<INestApplication> => bootstrapService(withPubSub(definition));

export const runPipelineService = (
  definition: PipelineServiceDefinition,
): void => runService(withPubSub(definition));
