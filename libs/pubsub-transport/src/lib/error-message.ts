/**
 * A readable reason for anything thrown or emitted as an error, including
 * the plain `{ status, message }` objects Nest's RPC exception filter emits.
 */
export const describeError = (error: unknown): string => {
  if (error instanceof Error) return error.message;
  if (typeof error === 'object' && error !== null && 'message' in error) {
    return String(error.message);
  }
  return typeof error === 'string' ? error : JSON.stringify(error);
};
