import {
  createServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { notImplemented, StorageApiError } from './api-error';
import { bucketRoutes } from './bucket-routes';
import { requestBaseUrl, sendError } from './http-io';
import { notificationRoutes } from './notification-routes';
import { objectRoutes } from './object-routes';
import {
  routeNames,
  type RouteHandlers,
  type StorageContext,
} from './route-handler';
import { matchRoute } from './router';
import { uploadRoutes } from './upload-routes';

const ROUTES: RouteHandlers = {
  ...bucketRoutes,
  ...objectRoutes,
  ...uploadRoutes,
  ...notificationRoutes,
};

export interface StorageServer {
  host: string;
  port: number;
  /** Stops accepting requests, waits up to `graceMs` for those running, then cuts connections. */
  close(graceMs: number): Promise<void>;
}

/** The HTTP side: routing, request logging, error bodies, graceful close. */
export const listenStorageServer = async (
  context: StorageContext,
  host: string,
  port: number,
): Promise<StorageServer> => {
  const { logger } = context;
  let inFlight = 0;
  let onIdle: (() => void) | undefined;
  let fallbackBaseUrl = '';

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const started = performance.now();
    const url = new URL(req.url ?? '/', 'http://localhost');
    res.on('close', () => {
      logger.debug(`${req.method} ${url.pathname}${url.search}`, {
        status: res.statusCode,
        ms: Math.round(performance.now() - started),
        ...(res.writableFinished ? {} : { aborted: true }),
      });
    });
    try {
      const route = matchRoute(req.method ?? 'GET', url.pathname);
      const handler = route && ROUTES[route.action];
      if (!route || !handler) {
        throw notImplemented(
          `The local Cloud Storage emulator does not support ${req.method} ${url.pathname}.`,
        );
      }
      await handler(
        {
          req,
          res,
          query: url.searchParams,
          baseUrl: requestBaseUrl(req, fallbackBaseUrl),
          ...routeNames(route),
        },
        context,
      );
    } catch (error) {
      if (res.headersSent) {
        logger.warn('Request failed after its response started', {
          method: req.method,
          path: url.pathname,
          error,
        });
        res.destroy();
      } else if (error instanceof StorageApiError) {
        sendError(res, error);
      } else {
        logger.error('Request failed', {
          method: req.method,
          path: url.pathname,
          error,
        });
        sendError(
          res,
          new StorageApiError(
            500,
            'backendError',
            `Internal error: ${(error as Error).message}`,
          ),
        );
      }
    }
  };

  const server: Server = createServer((req, res) => {
    inFlight++;
    res.on('close', () => {
      inFlight--;
      if (inFlight === 0) onIdle?.();
    });
    void handle(req, res);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  fallbackBaseUrl = `http://${host}:${address.port}`;

  return {
    host,
    port: address.port,
    close: async (graceMs) => {
      const closed = new Promise<void>((resolve) =>
        server.close(() => resolve()),
      );
      server.closeIdleConnections();
      if (inFlight > 0) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, graceMs);
          onIdle = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
      server.closeAllConnections();
      await closed;
    },
  };
};
