/**
 * A TCP port from the environment variable `name`, or `fallback` when it is
 * unset or empty; 0 asks for a free port.
 */
export const portFromEnv = (
  env: Readonly<Record<string, string | undefined>>,
  name: string,
  fallback: number,
): number => {
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
