import { PubSubServer } from './pubsub.server';

const listen = (server: PubSubServer): Promise<void> =>
  new Promise((resolve, reject) =>
    server.listen((error) => (error ? reject(error) : resolve())),
  );

const handler = async () => undefined;

describe('PubSubServer', () => {
  // Nothing listens on port 9: these checks must fail before any call.
  const options = { projectId: 'unit', emulatorHost: '127.0.0.1:9' };

  it('refuses request-response handlers', async () => {
    const server = new PubSubServer(options);
    server.addHandler('profileUpdater', handler, false);
    await expect(listen(server)).rejects.toThrow(
      '@MessagePattern(profileUpdater) is request-response, which Pub/Sub does not carry: use @EventPattern',
    );
    expect(server.isReady()).toBe(false);
  });

  it('refuses two patterns naming the same subscription', async () => {
    const server = new PubSubServer(options);
    server.addHandler('profileUpdater', handler, true);
    server.addHandler('profile-updater', handler, true);
    await expect(listen(server)).rejects.toThrow(
      'patterns profileUpdater and profile-updater both name subscription profile-updater',
    );
  });

  it('has no event API and nothing to unwrap before listening', () => {
    const server = new PubSubServer(options);
    expect(() => server.on()).toThrow(/emits no events/);
    expect(() => server.unwrap()).toThrow(/not listening/);
  });
});
