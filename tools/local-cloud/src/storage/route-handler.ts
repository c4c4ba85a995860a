import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../shared/logger';
import type { BucketStore } from './bucket-store';
import type { DataLayout } from './data-layout';
import type { ObjectStore } from './object-store';
import type { ResumableUploads } from './resumable-uploads';
import type { Action, RouteMatch } from './router';

/** What the route handlers share. */
export interface StorageContext {
  layout: DataLayout;
  buckets: BucketStore;
  objects: ObjectStore;
  uploads: ResumableUploads;
  logger: Logger;
}

export interface StorageRequest {
  req: IncomingMessage;
  res: ServerResponse;
  query: URLSearchParams;
  /** Where the client reached the emulator, for links it can follow back. */
  baseUrl: string;
  bucket: string;
  object: string;
  notificationId: string;
}

export type RouteHandler = (
  request: StorageRequest,
  context: StorageContext,
) => Promise<void>;

export type RouteHandlers = Partial<Record<Action, RouteHandler>>;

/** Fills the route's absent names with '' so that handlers need no checks. */
export const routeNames = (route: RouteMatch) => ({
  bucket: route.bucket ?? '',
  object: route.object ?? '',
  notificationId: route.notificationId ?? '',
});
