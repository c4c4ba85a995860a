import { invalidArgument } from './api-error';
import { PUBSUB_DEFAULTS } from './defaults';

export interface Page<T> {
  items: T[];
  nextPageToken: string;
}

/**
 * One page of `items` sorted by `key`. The token is the last key returned,
 * so a page stays correct when resources are added or deleted in between.
 */
export const paginate = <T>(
  items: Iterable<T>,
  key: (item: T) => string,
  pageSize: number | null | undefined,
  pageToken: string | null | undefined,
): Page<T> => {
  const size = Math.min(pageSize || PUBSUB_DEFAULTS.pageSize, PUBSUB_DEFAULTS.maxPageSize);
  if (size < 0) throw invalidArgument(`page_size must not be negative, found ${pageSize}`);
  let after = '';
  if (pageToken) {
    after = Buffer.from(pageToken, 'base64url').toString('utf8');
    if (after === '') throw invalidArgument(`Invalid page_token ${JSON.stringify(pageToken)}`);
  }
  const sorted = [...items]
    .filter((item) => key(item) > after)
    .sort((a, b) => (key(a) < key(b) ? -1 : 1));
  const page = sorted.slice(0, size);
  const more = sorted.length > size;
  return {
    items: page,
    nextPageToken: more ? Buffer.from(key(page[page.length - 1]), 'utf8').toString('base64url') : '',
  };
};
