import { Storage } from '@google-cloud/storage';
import { randomBytes } from 'node:crypto';
import {
  PROJECT,
  startStorageTestEnv,
  uniqueName,
  type StorageTestEnv,
} from './storage-test-env';

// With STORAGE_EMULATOR_HOST the client sends JSON API calls to the bare
// root (/b/...) rather than /storage/v1/b/...; both must work.
describe('Cloud Storage emulator: reached through STORAGE_EMULATOR_HOST', () => {
  let env: StorageTestEnv;
  let storage: Storage;
  const previous = process.env['STORAGE_EMULATOR_HOST'];

  beforeAll(async () => {
    env = await startStorageTestEnv();
    process.env['STORAGE_EMULATOR_HOST'] = env.emulator.url;
    storage = new Storage({ projectId: PROJECT });
  });
  afterAll(async () => {
    if (previous === undefined) delete process.env['STORAGE_EMULATOR_HOST'];
    else process.env['STORAGE_EMULATOR_HOST'] = previous;
    await env.stop();
  });

  it('serves the whole round trip', async () => {
    const [bucket] = await storage.createBucket(uniqueName('env-host'));
    const large = randomBytes(2 * 1024 * 1024 + 17);
    await bucket.file('in/small.csv').save('a,b\n1,2\n', { resumable: false });
    await bucket.file('in/large.bin').save(large, { resumable: true });
    expect((await bucket.file('in/small.csv').download())[0].toString()).toBe(
      'a,b\n1,2\n',
    );
    expect(
      (await bucket.file('in/large.bin').download())[0].equals(large),
    ).toBe(true);
    expect(
      (await bucket.file('in/large.bin').download({ start: 5, end: 9 }))[0],
    ).toEqual(large.subarray(5, 10));
    const [files] = await bucket.getFiles({ prefix: 'in/' });
    expect(files.map((f) => f.name)).toEqual(['in/large.bin', 'in/small.csv']);
    await Promise.all(files.map((f) => f.delete()));
    await bucket.delete();
    expect((await bucket.exists())[0]).toBe(false);
  });
});
