export * from './lib/bootstrap-service';
export * from './lib/health.module';
export * from './lib/http-port';
export * from './lib/metrics.registry';
export * from './lib/readiness.registry';
export * from './lib/run-pipeline-service';
export * from './lib/pipeline-publisher';
export * from './lib/google-cloud.config';
