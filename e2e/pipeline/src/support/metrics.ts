/**
 * One counter of a service's Prometheus text at /metrics, by name and
 * labels (`pattern="errorArchiver"`); 0 when it is not there yet.
 */
export const readCounter = async (
  serviceUrl: string,
  name: string,
  labels: string,
): Promise<number> => {
  const response = await fetch(`${serviceUrl}/metrics`);
  if (!response.ok) {
    throw new Error(`GET ${serviceUrl}/metrics answered ${response.status}`);
  }
  const line = (await response.text())
    .split('\n')
    .find((text) => text.startsWith(`${name}{${labels}} `));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
};
