import { startLocalCloud } from './local-cloud';
import { localCloudOptionsFromEnv } from './local-cloud.config';
import { createLogger } from './shared/logger';

const logger = createLogger({ scope: 'local-cloud' });

const main = async () => {
  const cloud = await startLocalCloud({
    ...localCloudOptionsFromEnv(),
    logger,
  });
  const exports = Object.entries(cloud.environment)
    .map(([name, value]) => `  export ${name}=${value}`)
    .join('\n');
  process.stdout.write(
    `local cloud ready; point the official clients at it with:\n${exports}\n`,
  );

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info('stopping', { signal });
    cloud.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error('stop failed', { error });
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
};

main().catch((error: unknown) => {
  logger.error('failed to start', { error });
  process.exit(1);
});
