import { createServer, Server } from 'node:net';
import { readStackConfig } from './stack.config';
import { describeBusyPorts, probeStack, stackPorts } from './stack-probe';

const listen = (): Promise<Server> =>
  new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => resolve(server));
  });

const portOf = (server: Server) => {
  const address = server.address();
  if (typeof address !== 'object' || !address) throw new Error('no port');
  return address.port;
};

const close = (server: Server) =>
  new Promise<void>((resolve) => server.close(() => resolve()));

describe('probeStack', () => {
  const servers: Server[] = [];

  afterEach(async () => {
    await Promise.all(servers.splice(0).map(close));
  });

  /** Every stack port 0 (ignored) but those given. */
  const configWith = (ports: Record<string, number>) =>
    readStackConfig({
      PUBSUB_PORT: '0',
      STORAGE_PORT: '0',
      FILE_INGESTOR_PORT: '0',
      EVENT_STREAMER_PORT: '0',
      PROFILE_UPDATER_PORT: '0',
      ERROR_ARCHIVER_PORT: '0',
      ...Object.fromEntries(
        Object.entries(ports).map(([name, port]) => [name, String(port)]),
      ),
    });

  it('ignores ports left to the system', () => {
    expect(stackPorts(configWith({}))).toEqual([]);
  });

  it('sees a stack whose ports all answer as running', async () => {
    const a = await listen();
    const b = await listen();
    servers.push(a, b);
    const config = configWith({
      PUBSUB_PORT: portOf(a),
      FILE_INGESTOR_PORT: portOf(b),
    });
    await expect(probeStack(config)).resolves.toEqual({
      state: 'running',
      ports: [
        { owner: 'local-cloud (Pub/Sub)', port: portOf(a) },
        { owner: 'file-ingestor', port: portOf(b) },
      ],
    });
  });

  it('sees some ports answering as partial, and names them', async () => {
    const a = await listen();
    const b = await listen();
    servers.push(a);
    const free = portOf(b);
    await close(b);
    const state = await probeStack(
      configWith({ STORAGE_PORT: portOf(a), ERROR_ARCHIVER_PORT: free }),
    );
    expect(state).toEqual({
      state: 'partial',
      open: [{ owner: 'local-cloud (Storage)', port: portOf(a) }],
      closed: [{ owner: 'error-archiver', port: free }],
    });
    if (state.state !== 'partial') throw new Error('expected partial');
    expect(describeBusyPorts(state)).toContain(
      `Ports ${portOf(a)} (local-cloud (Storage)) are already in use while ${free} (error-archiver) are not`,
    );
  });

  it('sees nothing answering as stopped', async () => {
    const b = await listen();
    const free = portOf(b);
    await close(b);
    await expect(
      probeStack(configWith({ PUBSUB_PORT: free })),
    ).resolves.toEqual({ state: 'stopped' });
  });
});
