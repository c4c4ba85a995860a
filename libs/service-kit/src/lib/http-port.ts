/** The HTTP port from `PORT`, else the service's default; stops on a bad value. */
export const httpPort = (
  defaultPort: number,
  env: Readonly<Record<string, string | undefined>> = process.env,
): number => {
  const raw = env['PORT'];
  if (raw === undefined || raw === '') return defaultPort;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(
      `PORT must be an integer from 0 to 65535, found ${JSON.stringify(raw)}`,
    );
  }
  return port;
};
