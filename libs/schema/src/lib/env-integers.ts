type Env = Readonly<Record<string, string | undefined>>;

/**
 * An integer from the environment variable `name` within `range`, or
 * `fallback` when it is unset or empty; any other value stops the caller
 * with a message naming the variable and what it takes.
 */
export const integerFromEnv = (
  env: Env,
  name: string,
  fallback: number,
  range: { min: number; max: number; takes: string },
): number => {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < range.min || value > range.max) {
    throw new Error(
      `${name} must be ${range.takes}, found ${JSON.stringify(raw)}`,
    );
  }
  return value;
};

/**
 * A TCP port from the environment variable `name`, or `fallback` when it is
 * unset or empty; 0 asks for a free port.
 */
export const portFromEnv = (env: Env, name: string, fallback: number): number =>
  integerFromEnv(env, name, fallback, {
    min: 0,
    max: 65535,
    takes: 'a port from 0 to 65535',
  });
