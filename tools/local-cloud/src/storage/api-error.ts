/**
 * Errors shaped like the JSON API's: `{error: {code, message, errors: [...]}}`
 * with the status code and `reason` Google uses, so that clients map them to
 * the same exceptions they raise against the real service.
 */
export class StorageApiError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
  ) {
    super(message);
    this.name = 'StorageApiError';
  }

  toBody() {
    return {
      error: {
        code: this.status,
        message: this.message,
        errors: [
          { message: this.message, domain: 'global', reason: this.reason },
        ],
      },
    };
  }
}

export const badRequest = (message: string, reason = 'invalid') =>
  new StorageApiError(400, reason, message);

export const notFound = (message: string) =>
  new StorageApiError(404, 'notFound', message);

export const conflict = (message: string) =>
  new StorageApiError(409, 'conflict', message);

export const preconditionFailed = (message: string) =>
  new StorageApiError(412, 'conditionNotMet', message);

export const notModified = () =>
  new StorageApiError(304, 'notModified', 'Not Modified');

export const rangeNotSatisfiable = (message: string) =>
  new StorageApiError(416, 'requestedRangeNotSatisfiable', message);

export const notImplemented = (message: string) =>
  new StorageApiError(501, 'notImplemented', message);

export const noSuchBucket = (bucket: string) =>
  notFound(`The specified bucket does not exist: ${bucket}`);

export const noSuchObject = (bucket: string, name: string) =>
  notFound(`No such object: ${bucket}/${name}`);

export const serviceUnavailable = (message: string) =>
  new StorageApiError(503, 'backendError', message);
