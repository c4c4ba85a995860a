import { toBucketResource } from './bucket-store';
import { listPage, listQueryFrom } from './list-objects';
import { readJsonBody, sendEmpty, sendJson } from './http-io';
import type { RouteHandlers } from './route-handler';
import { STORAGE_DEFAULTS } from './storage-defaults';

export const bucketRoutes: RouteHandlers = {
  'buckets.list': async ({ res, query, baseUrl }, { buckets }) => {
    const page = listPage(await buckets.list(), {
      ...listQueryFrom(query),
      delimiter: undefined,
    });
    sendJson(res, 200, {
      kind: 'storage#buckets',
      items: page.items.map((record) => toBucketResource(record, baseUrl)),
      ...(page.nextPageToken ? { nextPageToken: page.nextPageToken } : {}),
    });
  },

  'buckets.insert': async ({ req, res, baseUrl }, { buckets }) => {
    const record = await buckets.create(
      await readJsonBody(req, STORAGE_DEFAULTS.maxJsonBodyBytes),
    );
    sendJson(res, 200, toBucketResource(record, baseUrl));
  },

  'buckets.get': async ({ res, baseUrl, bucket }, { buckets }) => {
    sendJson(res, 200, toBucketResource(await buckets.get(bucket), baseUrl));
  },

  'buckets.delete': async ({ res, bucket }, { objects }) => {
    await objects.deleteBucket(bucket);
    sendEmpty(res, 204);
  },
};
