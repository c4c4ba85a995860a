import { lastValueFrom } from 'rxjs';
import { PubSubClient } from './pubsub.client';
import { PubSubRecord } from './pubsub.record';

describe('PubSubClient', () => {
  let client: PubSubClient;

  beforeEach(() => {
    client = new PubSubClient({
      projectId: 'unit',
      emulatorHost: '127.0.0.1:9',
    });
  });

  afterEach(() => client.close());

  it('refuses request-response', async () => {
    await expect(
      lastValueFrom(client.send('profileChanges', { a: 1 })),
    ).rejects.toThrow(
      'PubSubClient does not support send() (pattern "profileChanges"): Pub/Sub carries events, not requests; use emit()',
    );
  });

  it('refuses data that JSON cannot carry, before publishing anything', async () => {
    await expect(
      lastValueFrom(client.emit('profileChanges', new PubSubRecord(() => 1))),
    ).rejects.toThrow(
      'cannot publish to topic profile-changes: data is not JSON-serialisable',
    );
  });

  it('tells that it is not connected yet when unwrapped', () => {
    expect(() => client.unwrap()).toThrow(/not connected/);
  });
});
