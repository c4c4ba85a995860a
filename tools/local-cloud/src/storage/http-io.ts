import type {
  IncomingMessage,
  OutgoingHttpHeaders,
  ServerResponse,
} from 'node:http';
import { badRequest, StorageApiError } from './api-error';

export const sendJson = (
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: OutgoingHttpHeaders = {},
): void => {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'application/json; charset=UTF-8',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
};

export const sendEmpty = (
  res: ServerResponse,
  status: number,
  headers: OutgoingHttpHeaders = {},
): void => {
  res.writeHead(status, { ...headers, 'Content-Length': 0 });
  res.end();
};

export const sendError = (
  res: ServerResponse,
  error: StorageApiError,
): void => {
  if (error.status === 304) sendEmpty(res, 304);
  else sendJson(res, error.status, error.toBody());
};

/** A small JSON request body; undefined when there is none. */
export const readJsonBody = async (
  req: IncomingMessage,
  maxBytes: number,
): Promise<unknown> => {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) {
      throw badRequest(
        `The JSON request body is larger than ${maxBytes} bytes.`,
      );
    }
    chunks.push(chunk as Buffer);
  }
  return parseJson(Buffer.concat(chunks).toString('utf8'));
};

export const parseJson = (text: string): unknown => {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw badRequest(
      `Invalid JSON in the request body: ${(error as Error).message}`,
      'parseError',
    );
  }
};

/** Scheme, host and port the client used, for links it can follow back. */
export const requestBaseUrl = (
  req: IncomingMessage,
  fallback: string,
): string => (req.headers.host ? `http://${req.headers.host}` : fallback);

export const headerValue = (
  req: IncomingMessage,
  name: string,
): string | undefined => {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
};
