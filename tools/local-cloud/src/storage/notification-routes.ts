import { readJsonBody, sendEmpty, sendJson } from './http-io';
import { toNotificationResource } from './notification-configs';
import type { RouteHandlers } from './route-handler';
import { STORAGE_DEFAULTS } from './storage-defaults';

export const notificationRoutes: RouteHandlers = {
  'notifications.list': async ({ res, baseUrl, bucket }, { buckets }) => {
    const { notificationConfigs } = await buckets.get(bucket);
    sendJson(res, 200, {
      kind: 'storage#notifications',
      items: notificationConfigs.map((config) =>
        toNotificationResource(bucket, config, baseUrl),
      ),
    });
  },

  'notifications.insert': async (
    { req, res, baseUrl, bucket },
    { buckets },
  ) => {
    const body = await readJsonBody(req, STORAGE_DEFAULTS.maxJsonBodyBytes);
    const config = await buckets.addNotification(bucket, body);
    sendJson(res, 200, toNotificationResource(bucket, config, baseUrl));
  },

  'notifications.get': async (
    { res, baseUrl, bucket, notificationId },
    { buckets },
  ) => {
    const config = await buckets.getNotification(bucket, notificationId);
    sendJson(res, 200, toNotificationResource(bucket, config, baseUrl));
  },

  'notifications.delete': async (
    { res, bucket, notificationId },
    { buckets },
  ) => {
    await buckets.deleteNotification(bucket, notificationId);
    sendEmpty(res, 204);
  },
};
