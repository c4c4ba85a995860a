import { ApiError, type GetBucketsRequest } from '@google-cloud/storage';
import {
  startStorageTestEnv,
  uniqueName,
  type StorageTestEnv,
} from './storage-test-env';

describe('Cloud Storage emulator: buckets', () => {
  let env: StorageTestEnv;

  beforeAll(async () => {
    env = await startStorageTestEnv();
  });
  afterAll(() => env.stop());

  it('creates, gets, lists and deletes a bucket', async () => {
    const name = uniqueName('crud');
    const [bucket, created] = await env.storage.createBucket(name, {
      location: 'EU',
    });
    expect(created).toMatchObject({
      kind: 'storage#bucket',
      name,
      location: 'EU',
    });
    expect((await bucket.exists())[0]).toBe(true);
    const [metadata] = await bucket.getMetadata();
    expect(metadata).toMatchObject({ name, storageClass: 'STANDARD' });
    expect(Date.parse(metadata.timeCreated as string)).not.toBeNaN();

    const [buckets] = await env.storage.getBuckets({ prefix: 'crud-' });
    expect(buckets.map((b) => b.name)).toContain(name);

    await bucket.delete();
    expect((await bucket.exists())[0]).toBe(false);
  });

  it('pages through the bucket list', async () => {
    const names = await Promise.all(
      [1, 2, 3].map(async () => (await env.newBucket('paged')).name),
    );
    const [firstPage, next] = await env.storage.getBuckets({
      prefix: 'paged-',
      maxResults: 2,
      autoPaginate: false,
    });
    expect(firstPage).toHaveLength(2);
    const [secondPage] = await env.storage.getBuckets(
      next as GetBucketsRequest,
    );
    expect([...firstPage, ...secondPage].map((b) => b.name).sort()).toEqual(
      names.sort(),
    );
  });

  it('answers a second create of the same name with 409', async () => {
    const bucket = await env.newBucket();
    await expect(env.storage.createBucket(bucket.name)).rejects.toMatchObject({
      code: 409,
    });
  });

  it('refuses to delete a bucket that holds objects, with 409', async () => {
    const bucket = await env.newBucket();
    await bucket.file('keep.txt').save('x');
    await expect(bucket.delete()).rejects.toMatchObject({ code: 409 });
    await bucket.file('keep.txt').delete();
    await bucket.delete();
  });

  it('answers unknown buckets with 404 and invalid names with 400', async () => {
    const missing = env.storage.bucket(uniqueName('missing'));
    await expect(missing.getMetadata()).rejects.toBeInstanceOf(ApiError);
    await expect(missing.getMetadata()).rejects.toMatchObject({ code: 404 });
    await expect(
      missing.file('x').save('x', { resumable: false }),
    ).rejects.toMatchObject({
      code: 404,
    });
    await expect(
      env.storage.createBucket('Not_A Valid name'),
    ).rejects.toMatchObject({
      code: 400,
    });
  });

  it('shapes error bodies like Google', async () => {
    const response = await fetch(
      `${env.emulator.url}/storage/v1/b/${uniqueName('missing')}`,
    );
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toEqual({
      error: {
        code: 404,
        message: expect.stringContaining('bucket does not exist'),
        errors: [
          {
            message: expect.stringContaining('bucket does not exist'),
            domain: 'global',
            reason: 'notFound',
          },
        ],
      },
    });
  });

  it('tells what it does not support with 501', async () => {
    const bucket = await env.newBucket();
    const response = await fetch(
      `${env.emulator.url}/storage/v1/b/${bucket.name}/o/x/compose`,
      {
        method: 'POST',
      },
    );
    expect(response.status).toBe(501);
    const body = (await response.json()) as {
      error: { errors: { reason: string }[] };
    };
    expect(body.error.errors[0].reason).toBe('notImplemented');
  });
});
