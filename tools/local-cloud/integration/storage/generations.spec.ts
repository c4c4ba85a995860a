import type { Bucket } from '@google-cloud/storage';
import { startStorageTestEnv, type StorageTestEnv } from './storage-test-env';

/**
 * The HTTP status a client call failed with: ApiError carries it as `code`,
 * errors from the resumable upload's own requests (gaxios) as `status`.
 */
const failureStatus = (call: Promise<unknown>) =>
  call.then(
    () => 'succeeded',
    (error: { code?: unknown; status?: unknown }) =>
      Number(error.code ?? error.status),
  );

describe('Cloud Storage emulator: generations and preconditions', () => {
  let env: StorageTestEnv;
  let bucket: Bucket;

  beforeAll(async () => {
    env = await startStorageTestEnv();
    bucket = await env.newBucket('generations');
  });
  afterAll(() => env.stop());

  const generationOf = async (name: string) =>
    String((await bucket.file(name).getMetadata())[0].generation);

  it('gives every write a new, larger generation and keeps only the latest', async () => {
    const file = bucket.file('overwritten.csv');
    await file.save('v1', { resumable: false });
    const first = await generationOf('overwritten.csv');
    await file.save('v2 longer', { resumable: true });
    const second = await generationOf('overwritten.csv');
    expect(BigInt(second)).toBeGreaterThan(BigInt(first));
    expect((await file.download())[0].toString()).toBe('v2 longer');
    const [metadata] = await file.getMetadata();
    expect(metadata).toMatchObject({ size: '9', metageneration: '1' });
    await expect(
      bucket.file('overwritten.csv', { generation: Number(first) }).download(),
    ).rejects.toMatchObject({ code: 404 });
    const [current] = await bucket
      .file('overwritten.csv', { generation: Number(second) })
      .download();
    expect(current.toString()).toBe('v2 longer');
  });

  it('creates only if absent with ifGenerationMatch=0 (412 otherwise)', async () => {
    const file = bucket.file('create-once.csv');
    for (const resumable of [false, true]) {
      const name = `create-once-${resumable}.csv`;
      await bucket.file(name).save('first', {
        resumable,
        preconditionOpts: { ifGenerationMatch: 0 },
      });
      const second = bucket.file(name).save('second', {
        resumable,
        preconditionOpts: { ifGenerationMatch: 0 },
      });
      expect(await failureStatus(second)).toBe(412);
      expect((await bucket.file(name).download())[0].toString()).toBe('first');
    }
    expect((await file.exists())[0]).toBe(false);
  });

  it('checks ifGenerationMatch again when a resumable upload completes', async () => {
    const file = bucket.file('raced.csv');
    const [uri] = await file.createResumableUpload({
      preconditionOpts: { ifGenerationMatch: 0 },
    });
    await bucket
      .file('raced.csv')
      .save('got there first', { resumable: false });
    const late = new Promise((resolve, reject) =>
      file
        .createWriteStream({ uri, preconditionOpts: { ifGenerationMatch: 0 } })
        .on('error', reject)
        .on('finish', resolve)
        .end('too late'),
    );
    expect(await failureStatus(late)).toBe(412);
    expect((await file.download())[0].toString()).toBe('got there first');
  });

  it('overwrites only the expected generation', async () => {
    const file = bucket.file('guarded.csv');
    await file.save('v1', { resumable: false });
    const generation = Number(await generationOf('guarded.csv'));
    await file.save('v2', {
      resumable: false,
      preconditionOpts: { ifGenerationMatch: generation },
    });
    await expect(
      file.save('v3', {
        resumable: false,
        preconditionOpts: { ifGenerationMatch: generation },
      }),
    ).rejects.toMatchObject({ code: 412 });
    expect((await file.download())[0].toString()).toBe('v2');
  });

  it('guards deletes and metadata patches by generation and metageneration', async () => {
    const file = bucket.file('guarded-delete.csv');
    await file.save('x', { resumable: false });
    const generation = Number(await generationOf('guarded-delete.csv'));
    await expect(
      file.delete({ ifGenerationMatch: generation + 1 }),
    ).rejects.toMatchObject({
      code: 412,
    });
    await expect(
      file.setMetadata({ metadata: { a: '1' } }, { ifMetagenerationMatch: 2 }),
    ).rejects.toMatchObject({ code: 412 });
    const [patched] = await file.setMetadata(
      { metadata: { a: '1' } },
      { ifMetagenerationMatch: 1 },
    );
    expect(patched.metageneration).toBe('2');
    expect(String(patched.generation)).toBe(String(generation));
    await file.delete({ ifGenerationMatch: generation });
    expect((await file.exists())[0]).toBe(false);
  });
});
