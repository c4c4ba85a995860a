import { INestApplication, Logger, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { httpPort } from './http-port';

export interface ServiceDefinition {
  /** Used in logs. */
  name: string;
  rootModule: Type<unknown>;
  defaultHttpPort: number;
  /** Wiring that needs the created application (e.g. a microservice transport). */
  configure?: (app: INestApplication) => void | Promise<void>;
}

/**
 * Starts a service: its HTTP side (health, readiness, metrics) and whatever
 * `configure` connects, with shutdown hooks so SIGTERM and SIGINT drain it.
 */
export const bootstrapService = async (
  definition: ServiceDefinition,
): Promise<INestApplication> => {
  const logger = new Logger(definition.name);
  const port = httpPort(definition.defaultHttpPort);
  const app = await NestFactory.create(definition.rootModule, {
    logger: ['log', 'warn', 'error'],
  });
  app.enableShutdownHooks();
  await definition.configure?.(app);
  await app.startAllMicroservices();
  await app.listen(port, process.env['HTTP_HOST'] ?? '127.0.0.1');
  logger.log(`${definition.name} listening on ${await app.getUrl()}`);
  return app;
};

/** Runs `bootstrapService`, exiting with a clear message when start-up fails. */
export const runService = (definition: ServiceDefinition): void => {
  bootstrapService(definition).catch((error: unknown) => {
    new Logger(definition.name).error(
      `failed to start: ${error instanceof Error ? error.message : String(error)}`,
    );
    process.exit(1);
  });
};
