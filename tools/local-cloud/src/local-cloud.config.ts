import { portFromEnv, resolveTopology } from '@event-pipeline/schema';
import { LocalCloudOptions } from './local-cloud';

type Environment = Readonly<Record<string, string | undefined>>;

const flag = (env: Environment, name: string, fallback: boolean): boolean => {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  throw new Error(
    `${name} must be true or false, found ${JSON.stringify(env[name])}`,
  );
};

/**
 * Options of `nx serve local-cloud`, read once from the environment:
 * LOCAL_CLOUD_HOST, PUBSUB_PORT, STORAGE_PORT, DATA_DIR, PUBSUB_PERSIST,
 * PROVISION, GOOGLE_CLOUD_PROJECT, plus the topology overrides of the schema.
 */
export const localCloudOptionsFromEnv = (
  env: Environment = process.env,
): LocalCloudOptions => ({
  host: env['LOCAL_CLOUD_HOST'] || '127.0.0.1',
  pubsubPort: portFromEnv(env, 'PUBSUB_PORT', 8085),
  storagePort: portFromEnv(env, 'STORAGE_PORT', 4443),
  dataDir: env['DATA_DIR'] || '.data',
  persistPubSub: flag(env, 'PUBSUB_PERSIST', true),
  projectId: env['GOOGLE_CLOUD_PROJECT'] || 'local-project',
  provision: flag(env, 'PROVISION', true) ? resolveTopology(env) : undefined,
});
