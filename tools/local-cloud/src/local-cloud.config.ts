import { resolveTopology } from '@event-pipeline/schema';
import { LocalCloudOptions } from './local-cloud';

type Environment = Readonly<Record<string, string | undefined>>;

const port = (env: Environment, name: string, fallback: number): number => {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65535) {
    throw new Error(
      `${name} must be a port from 0 to 65535, found ${JSON.stringify(raw)}`,
    );
  }
  return value;
};

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
  pubsubPort: port(env, 'PUBSUB_PORT', 8085),
  storagePort: port(env, 'STORAGE_PORT', 4443),
  dataDir: env['DATA_DIR'] || '.data',
  persistPubSub: flag(env, 'PUBSUB_PERSIST', true),
  projectId: env['GOOGLE_CLOUD_PROJECT'] || 'local-project',
  provision: flag(env, 'PROVISION', true) ? resolveTopology(env) : undefined,
});
