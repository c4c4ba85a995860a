import { badRequest } from './api-error';
import { STORAGE_DEFAULTS } from './storage-defaults';

export interface ListQuery {
  prefix: string;
  delimiter?: string;
  startOffset?: string;
  endOffset?: string;
  /** Opaque to clients: the last name or prefix of the previous page. */
  pageToken?: string;
  maxResults: number;
}

export interface ListPage<T> {
  items: T[];
  prefixes: string[];
  nextPageToken?: string;
}

export const listQueryFrom = (query: URLSearchParams): ListQuery => {
  const rawMax = query.get('maxResults');
  const maxResults =
    rawMax === null || rawMax === ''
      ? STORAGE_DEFAULTS.maxListResults
      : Number(rawMax);
  if (!Number.isInteger(maxResults) || maxResults < 0) {
    throw badRequest(
      `Invalid maxResults ${JSON.stringify(rawMax)}: expected a non-negative integer.`,
    );
  }
  return {
    prefix: query.get('prefix') ?? '',
    delimiter: query.get('delimiter') || undefined,
    startOffset: query.get('startOffset') || undefined,
    endOffset: query.get('endOffset') || undefined,
    pageToken: query.get('pageToken') || undefined,
    maxResults: Math.min(
      maxResults || STORAGE_DEFAULTS.maxListResults,
      STORAGE_DEFAULTS.maxListResults,
    ),
  };
};

/** The name up to the first delimiter after the prefix, if it goes on past one. */
const foldedPrefix = (name: string, prefix: string, delimiter: string) => {
  const at = name.indexOf(delimiter, prefix.length);
  return at < 0 ? undefined : name.slice(0, at + delimiter.length);
};

/**
 * One page of a listing over `entries` sorted by name. With a delimiter,
 * names that go on past the delimiter after the prefix fold into one
 * prefix each; items and prefixes together fill the page, in name order,
 * as the JSON API does.
 */
export const listPage = <T extends { name: string }>(
  entries: readonly T[],
  query: ListQuery,
): ListPage<T> => {
  const after =
    query.pageToken === undefined
      ? undefined
      : Buffer.from(query.pageToken, 'base64url').toString('utf8');
  const page: ListPage<T> = { items: [], prefixes: [] };
  let count = 0;
  let lastKey: string | undefined;
  for (const entry of entries) {
    const { name } = entry;
    if (
      !name.startsWith(query.prefix) ||
      (query.startOffset !== undefined && name < query.startOffset) ||
      (query.endOffset !== undefined && name >= query.endOffset)
    ) {
      continue;
    }
    const folded =
      query.delimiter && foldedPrefix(name, query.prefix, query.delimiter);
    const key = folded || name;
    if ((after !== undefined && key <= after) || key === lastKey) continue;
    if (count === query.maxResults) {
      if (lastKey !== undefined) {
        page.nextPageToken = Buffer.from(lastKey, 'utf8').toString('base64url');
      }
      break;
    }
    if (folded) page.prefixes.push(folded);
    else page.items.push(entry);
    lastKey = key;
    count++;
  }
  return page;
};
