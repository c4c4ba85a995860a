import { listPage, listQueryFrom, type ListQuery } from './list-objects';

const names = [
  'a.csv',
  'in/2024/01/x.csv',
  'in/2024/01/y.csv',
  'in/2024/02/z.csv',
  'in/readme.txt',
  'out/r.csv',
  'z.txt',
].map((name) => ({ name }));

const query = (overrides: Partial<ListQuery>): ListQuery => ({
  ...listQueryFrom(new URLSearchParams()),
  ...overrides,
});

/** Every page, following the tokens. */
const allPages = (overrides: Partial<ListQuery>) => {
  const pages = [];
  let pageToken: string | undefined;
  do {
    const page = listPage(names, query({ ...overrides, pageToken }));
    pages.push({
      items: page.items.map((i) => i.name),
      prefixes: page.prefixes,
    });
    pageToken = page.nextPageToken;
  } while (pageToken);
  return pages;
};

describe('listPage', () => {
  it('filters by prefix', () => {
    expect(
      listPage(names, query({ prefix: 'in/2024/' })).items.map((i) => i.name),
    ).toEqual(['in/2024/01/x.csv', 'in/2024/01/y.csv', 'in/2024/02/z.csv']);
  });

  it('folds names past the delimiter into prefixes', () => {
    const page = listPage(names, query({ delimiter: '/' }));
    expect(page.items.map((i) => i.name)).toEqual(['a.csv', 'z.txt']);
    expect(page.prefixes).toEqual(['in/', 'out/']);
    expect(page.nextPageToken).toBeUndefined();
  });

  it('folds below a prefix', () => {
    const page = listPage(names, query({ prefix: 'in/', delimiter: '/' }));
    expect(page.items.map((i) => i.name)).toEqual(['in/readme.txt']);
    expect(page.prefixes).toEqual(['in/2024/']);
  });

  it('pages items and prefixes together without repeating or losing any', () => {
    expect(allPages({ delimiter: '/', maxResults: 1 })).toEqual([
      { items: ['a.csv'], prefixes: [] },
      { items: [], prefixes: ['in/'] },
      { items: [], prefixes: ['out/'] },
      { items: ['z.txt'], prefixes: [] },
    ]);
    expect(allPages({ maxResults: 3 }).flatMap((p) => p.items)).toEqual(
      names.map((n) => n.name),
    );
  });

  it('honours startOffset and endOffset', () => {
    const page = listPage(
      names,
      query({ startOffset: 'in/2024/02', endOffset: 'out/' }),
    );
    expect(page.items.map((i) => i.name)).toEqual([
      'in/2024/02/z.csv',
      'in/readme.txt',
    ]);
  });
});
