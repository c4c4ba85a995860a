import { badRequest } from './api-error';

export type Action =
  | 'buckets.list'
  | 'buckets.insert'
  | 'buckets.get'
  | 'buckets.delete'
  | 'objects.list'
  | 'objects.get'
  | 'objects.download'
  | 'objects.patch'
  | 'objects.delete'
  | 'uploads.start'
  | 'uploads.resume'
  | 'uploads.cancel'
  | 'notifications.list'
  | 'notifications.insert'
  | 'notifications.get'
  | 'notifications.delete';

export interface RouteMatch {
  action: Action;
  bucket?: string;
  object?: string;
  notificationId?: string;
}

type Api = 'json' | 'upload' | 'download';

// The JSON API under /storage/v1 (the official client uses the bare root when
// STORAGE_EMULATOR_HOST is set), uploads and downloads under their own roots.
const API_ROOTS: ReadonlyArray<readonly [string, Api]> = [
  ['/upload/storage/v1/', 'upload'],
  ['/download/storage/v1/', 'download'],
  ['/storage/v1/', 'json'],
  ['/', 'json'],
];

const splitApi = (pathname: string): { api: Api; segments: string[] } => {
  // An endpoint given as `http://host/storage/v1` puts upload paths below it.
  const path = /^\/storage\/v1\/(upload|download)\//.test(pathname)
    ? pathname.slice('/storage/v1'.length)
    : pathname;
  const [root, api] = API_ROOTS.find(([prefix]) => path.startsWith(prefix)) ?? [
    '/',
    'json',
  ];
  const segments = path.slice(root.length).split('/');
  try {
    return {
      api,
      segments: segments.map((segment) => decodeURIComponent(segment)),
    };
  } catch {
    throw badRequest(`Malformed percent-encoding in the path ${pathname}.`);
  }
};

/**
 * Finds the action for a request. Object names are the rest of the path, so
 * names sent with unescaped slashes work as well as `%2F`.
 */
export const matchRoute = (
  method: string,
  pathname: string,
): RouteMatch | undefined => {
  const verb = method === 'HEAD' ? 'GET' : method;
  const { api, segments } = splitApi(pathname);
  if (segments[0] !== 'b') return undefined;
  const [, bucket, collection, ...rest] = segments;
  const object = rest.join('/') || undefined;
  const at = (action: Action): RouteMatch => ({ action, bucket, object });

  if (api === 'upload') {
    if (collection !== 'o' || object !== undefined) return undefined;
    if (verb === 'POST') return at('uploads.start');
    if (verb === 'PUT') return at('uploads.resume');
    if (verb === 'DELETE') return at('uploads.cancel');
    return undefined;
  }
  if (api === 'download') {
    return collection === 'o' && object !== undefined && verb === 'GET'
      ? at('objects.download')
      : undefined;
  }
  if (bucket === undefined || bucket === '') {
    if (verb === 'GET') return { action: 'buckets.list' };
    if (verb === 'POST') return { action: 'buckets.insert' };
    return undefined;
  }
  if (collection === undefined) {
    if (verb === 'GET') return at('buckets.get');
    if (verb === 'DELETE') return at('buckets.delete');
    return undefined;
  }
  if (collection === 'o') {
    if (object === undefined)
      return verb === 'GET' ? at('objects.list') : undefined;
    if (verb === 'GET') return at('objects.get');
    if (verb === 'PATCH') return at('objects.patch');
    if (verb === 'DELETE') return at('objects.delete');
    return undefined;
  }
  if (collection === 'notificationConfigs' && rest.length <= 1) {
    const notificationId = rest[0];
    if (notificationId === undefined) {
      if (verb === 'GET') return { action: 'notifications.list', bucket };
      if (verb === 'POST') return { action: 'notifications.insert', bucket };
      return undefined;
    }
    if (verb === 'GET')
      return { action: 'notifications.get', bucket, notificationId };
    if (verb === 'DELETE')
      return { action: 'notifications.delete', bucket, notificationId };
  }
  return undefined;
};
