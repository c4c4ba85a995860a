import { status, type ServiceError, Metadata } from '@grpc/grpc-js';

/** An error that reaches the client as a gRPC status with this message. */
export class ApiError extends Error {
  constructor(
    readonly code: status,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export type ResourceKind = 'Topic' | 'Subscription' | 'Dead-letter topic';

export const notFound = (kind: ResourceKind, name: string) =>
  new ApiError(status.NOT_FOUND, `${kind} not found: ${name}`);

export const alreadyExists = (kind: ResourceKind, name: string) =>
  new ApiError(status.ALREADY_EXISTS, `${kind} already exists: ${name}`);

export const invalidArgument = (message: string) =>
  new ApiError(status.INVALID_ARGUMENT, message);

export const unsupported = (feature: string) =>
  new ApiError(
    status.UNIMPLEMENTED,
    `${feature} is not supported by the local Pub/Sub emulator`,
  );

/** The status a failed call ends with; anything unexpected is INTERNAL. */
export const toServiceError = (error: unknown): Partial<ServiceError> => {
  const known = error instanceof ApiError;
  return {
    code: known ? error.code : status.INTERNAL,
    details: error instanceof Error ? error.message : String(error),
    metadata: new Metadata(),
  };
};
