import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import {
  messagesUntil,
  nextMessages,
  payloadOf,
  startNotificationTestEnv,
  type NotificationTestEnv,
} from './notification-test-env';
import { eventually } from './storage-test-env';

const QUIET_MS = 400;

describe('Cloud Storage emulator: drop folder', () => {
  let env: NotificationTestEnv;

  beforeAll(async () => {
    env = await startNotificationTestEnv({
      dropFolderQuietMs: QUIET_MS,
      dropFolderRescanMs: 1_000,
    });
  });
  afterAll(() => env.stop());

  const pathOf = (bucket: string, name: string) =>
    join(env.dataDir, 'storage', bucket, name);

  const drop = async (
    bucket: string,
    name: string,
    content: Buffer | string,
  ) => {
    await mkdir(dirname(pathOf(bucket, name)), { recursive: true });
    await writeFile(pathOf(bucket, name), content);
  };

  it('picks up a copied file only once it is completely written, and notifies', async () => {
    const { bucket, subscription } = await env.notifyingBucket();
    const content = randomBytes(15 * 32 * 1024);
    const path = pathOf(bucket.name, 'manual/slow-copy.csv');
    await mkdir(dirname(path), { recursive: true });
    // A slow copy: pieces keep arriving for three quiet periods.
    const file = await open(path, 'w');
    const pieces = 15;
    const pieceSize = content.length / pieces;
    for (let i = 0; i < pieces; i++) {
      await file.write(content.subarray(i * pieceSize, (i + 1) * pieceSize));
      await delay(QUIET_MS / 5);
    }
    await file.close();

    const [message] = await nextMessages(subscription, 1);
    expect(message.attributes).toMatchObject({
      eventType: 'OBJECT_FINALIZE',
      bucketId: bucket.name,
      objectId: 'manual/slow-copy.csv',
    });
    expect(payloadOf(message)).toMatchObject({
      name: 'manual/slow-copy.csv',
      size: String(content.length),
      md5Hash: createHash('md5').update(content).digest('base64'),
      contentType: 'text/csv',
    });
    const [downloaded] = await bucket.file('manual/slow-copy.csv').download();
    expect(downloaded.equals(content)).toBe(true);
  });

  it('treats a file replaced by hand as a new generation', async () => {
    const { bucket, subscription } = await env.notifyingBucket({
      eventTypes: ['OBJECT_FINALIZE'],
    });
    await bucket.file('replaced.csv').save('by the api', { resumable: false });
    const [before] = await bucket.file('replaced.csv').getMetadata();
    await drop(bucket.name, 'replaced.csv', 'by hand, longer');
    const received = await messagesUntil(
      subscription,
      'the hand-made generation',
      (m) => m.attributes['overwroteGeneration'] !== undefined,
    );
    const replaced = received[received.length - 1];
    expect(replaced.attributes['overwroteGeneration']).toBe(
      String(before.generation),
    );
    const [after] = await bucket.file('replaced.csv').getMetadata();
    expect(replaced.attributes['objectGeneration']).toBe(
      String(after.generation),
    );
    expect(after.size).toBe(String('by hand, longer'.length));
    expect((await bucket.file('replaced.csv').download())[0].toString()).toBe(
      'by hand, longer',
    );
  });

  it('forgets an object whose file was deleted by hand', async () => {
    const { bucket, subscription } = await env.notifyingBucket({
      eventTypes: ['OBJECT_DELETE'],
    });
    await bucket.file('gone.csv').save('x', { resumable: false });
    await rm(pathOf(bucket.name, 'gone.csv'));
    const [message] = await nextMessages(subscription, 1);
    expect(message.attributes).toMatchObject({
      eventType: 'OBJECT_DELETE',
      objectId: 'gone.csv',
    });
    expect((await bucket.file('gone.csv').exists())[0]).toBe(false);
  });

  it('does not pick up its own writes again', async () => {
    const { bucket, subscription } = await env.notifyingBucket();
    const names = ['own/1.csv', 'own/2.csv', 'own/3.csv'];
    const generations = new Map<string, string>();
    for (const name of names) {
      await bucket
        .file(name)
        .save(`content of ${name}`, { resumable: name.endsWith('2.csv') });
      generations.set(
        name,
        String((await bucket.file(name).getMetadata())[0].generation),
      );
    }
    // Anything the watcher would wrongly take from those writes it takes
    // before this later file, which is waited for.
    await drop(bucket.name, 'own/by-hand.csv', 'x');
    const received = await messagesUntil(
      subscription,
      'the hand-dropped file',
      (m) => m.attributes['objectId'] === 'own/by-hand.csv',
    );
    for (const name of names) {
      expect(
        String((await bucket.file(name).getMetadata())[0].generation),
      ).toBe(generations.get(name));
    }
    expect(received.map((m) => m.attributes['objectId']).sort()).toEqual(
      [...names, 'own/by-hand.csv'].sort(),
    );
  });

  it('ignores dot-files and files being edited', async () => {
    const { bucket, subscription } = await env.notifyingBucket();
    await drop(bucket.name, '.DS_Store', 'junk');
    await drop(bucket.name, 'draft.csv~', 'junk');
    await drop(bucket.name, 'real.csv', 'data');
    const [message] = await nextMessages(subscription, 1);
    expect(message.attributes['objectId']).toBe('real.csv');
    const [files] = await bucket.getFiles();
    expect(files.map((f) => f.name)).toEqual(['real.csv']);
  });

  it('adopts files found at start-up, in buckets made by hand too', async () => {
    const { bucket, subscription } = await env.notifyingBucket();
    await env.emulator.stop();
    await drop(bucket.name, 'while-stopped/a.csv', 'a');
    await drop('made-by-hand', 'b.csv', 'b');
    await env.restart();

    const [message] = await nextMessages(subscription, 1);
    expect(message.attributes).toMatchObject({
      objectId: 'while-stopped/a.csv',
    });
    const [buckets] = await env.storage.getBuckets();
    expect(buckets.map((b) => b.name)).toContain('made-by-hand');
    const handMade = env.storage.bucket('made-by-hand').file('b.csv');
    await eventually(
      5_000,
      'b.csv in the bucket made by hand',
      async () => (await handMade.exists())[0],
    );
    expect((await handMade.download())[0].toString()).toBe('b');
  });
});
