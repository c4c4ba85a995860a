import type { Bucket } from '@google-cloud/storage';
import { startStorageTestEnv, type StorageTestEnv } from './storage-test-env';

const NAMES = [
  'adapty/2024/09/events-1.csv',
  'adapty/2024/09/events-2.csv',
  'adapty/2024/10/events-3.csv',
  'adapty/readme.txt',
  'ga4/export-1.zip',
  'ga4/export-2.zip',
  'top.txt',
];

describe('Cloud Storage emulator: listing', () => {
  let env: StorageTestEnv;
  let bucket: Bucket;

  beforeAll(async () => {
    env = await startStorageTestEnv();
    bucket = await env.newBucket('listing');
    await Promise.all(
      NAMES.map((name) => bucket.file(name).save(name, { resumable: false })),
    );
  });
  afterAll(() => env.stop());

  const names = (files: { name: string }[]) => files.map((file) => file.name);

  it('lists every object in name order, with full resources', async () => {
    const [files] = await bucket.getFiles();
    expect(names(files)).toEqual(NAMES);
    expect(files[0].metadata).toMatchObject({
      kind: 'storage#object',
      bucket: bucket.name,
      size: String(NAMES[0].length),
    });
  });

  it('filters by prefix', async () => {
    const [files] = await bucket.getFiles({ prefix: 'adapty/2024/' });
    expect(names(files)).toEqual(NAMES.slice(0, 3));
  });

  it('folds names into prefixes at the delimiter', async () => {
    const [files, , response] = await bucket.getFiles({
      delimiter: '/',
      autoPaginate: false,
    });
    expect(names(files)).toEqual(['top.txt']);
    expect((response as { prefixes: string[] }).prefixes).toEqual([
      'adapty/',
      'ga4/',
    ]);

    const [nested, , nestedResponse] = await bucket.getFiles({
      prefix: 'adapty/',
      delimiter: '/',
      autoPaginate: false,
    });
    expect(names(nested)).toEqual(['adapty/readme.txt']);
    expect((nestedResponse as { prefixes: string[] }).prefixes).toEqual([
      'adapty/2024/',
    ]);
  });

  it('pages with maxResults and pageToken, losing and repeating nothing', async () => {
    const seen: string[] = [];
    let query: object | null = { maxResults: 2, autoPaginate: false };
    let pages = 0;
    while (query) {
      const [files, next]: [{ name: string }[], object | null, unknown] =
        await bucket.getFiles(query);
      seen.push(...names(files));
      expect(files.length).toBeLessThanOrEqual(2);
      query = next;
      pages++;
    }
    expect(pages).toBe(4);
    expect(seen).toEqual(NAMES);
  });

  it('pages items and prefixes together', async () => {
    const pages: { items: string[]; prefixes: string[] }[] = [];
    let query: object | null = {
      delimiter: '/',
      maxResults: 1,
      autoPaginate: false,
    };
    while (query) {
      const [files, next, response]: [
        { name: string }[],
        object | null,
        unknown,
      ] = await bucket.getFiles(query);
      pages.push({
        items: names(files),
        prefixes: (response as { prefixes?: string[] }).prefixes ?? [],
      });
      query = next;
    }
    expect(pages).toEqual([
      { items: [], prefixes: ['adapty/'] },
      { items: [], prefixes: ['ga4/'] },
      { items: ['top.txt'], prefixes: [] },
    ]);
  });

  it('auto-paginates like the client does by default', async () => {
    const [files] = await bucket.getFiles({ maxResults: 3 });
    expect(files.length).toBe(3);
    const [all] = await bucket.getFiles({ maxApiCalls: 10, prefix: 'ga4/' });
    expect(names(all)).toEqual(['ga4/export-1.zip', 'ga4/export-2.zip']);
  });

  it('honours startOffset and endOffset', async () => {
    const [files] = await bucket.getFiles({
      startOffset: 'adapty/2024/10',
      endOffset: 'ga4/export-2',
    });
    expect(names(files)).toEqual([
      'adapty/2024/10/events-3.csv',
      'adapty/readme.txt',
      'ga4/export-1.zip',
    ]);
  });
});
