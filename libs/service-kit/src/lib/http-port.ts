import { integerFromEnv } from '@event-pipeline/schema';

/** The HTTP port from `PORT`, else the service's default; stops on a bad value. */
export const httpPort = (
  defaultPort: number,
  env: Readonly<Record<string, string | undefined>> = process.env,
): number =>
  integerFromEnv(env, 'PORT', defaultPort, {
    min: 0,
    max: 65535,
    takes: 'an integer from 0 to 65535',
  });
