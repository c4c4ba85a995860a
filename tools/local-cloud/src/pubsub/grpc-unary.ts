import { status, type sendUnaryData, type ServerUnaryCall } from '@grpc/grpc-js';
import type { Logger } from '../shared/logger';
import { toServiceError } from './api-error';

/** The resource a request is about, for the request log. */
const target = (request: Record<string, unknown>): unknown =>
  request['subscription'] ?? request['name'] ?? request['topic'] ?? request['project'];

/**
 * A gRPC unary handler around `handle`: logs the call at debug level and
 * turns a thrown ApiError into its status (anything else into INTERNAL).
 */
export const unary =
  <Request extends object, Response>(
    logger: Logger,
    method: string,
    handle: (request: Request, call: ServerUnaryCall<Request, Response>) => Response | Promise<Response>,
  ) =>
  (call: ServerUnaryCall<Request, Response>, callback: sendUnaryData<Response>): void => {
    const request = call.request;
    const resource = target(request as Record<string, unknown>);
    const name = typeof resource === 'object' && resource !== null ? (resource as { name?: string }).name : resource;
    logger.debug(method, { resource: name });
    Promise.resolve()
      .then(() => handle(request, call))
      .then(
        (response) => callback(null, response),
        (error: unknown) => {
          const failure = toServiceError(error);
          const log = failure.code === status.INTERNAL ? logger.error : logger.debug;
          log(`${method} failed`, { resource: name, code: failure.code, error: failure.details });
          callback(failure);
        },
      );
  };
