import type { OutgoingHttpHeaders } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { noSuchObject } from './api-error';
import { parseRange, type ByteRange } from './byte-range';
import { headerValue, readJsonBody, sendEmpty, sendJson } from './http-io';
import { listPage, listQueryFrom } from './list-objects';
import {
  parseObjectAttributes,
  toObjectResource,
  type ObjectRecord,
} from './object-record';
import { assertPreconditions, preconditionsFrom } from './preconditions';
import type { RouteHandler, RouteHandlers } from './route-handler';
import { STORAGE_DEFAULTS } from './storage-defaults';

const optional = (name: string, value: string | undefined) =>
  value === undefined ? {} : { [name]: value };

/**
 * The headers Google sends with media. The client checks the whole
 * object's bytes against `x-goog-hash` when `x-goog-stored-content-encoding`
 * says how they are stored.
 */
const mediaHeaders = (
  record: ObjectRecord,
  range: ByteRange | undefined,
): OutgoingHttpHeaders => ({
  'Content-Type': record.contentType,
  'Content-Length': range ? range.end - range.start + 1 : record.size,
  ...optional(
    'Content-Range',
    range && `bytes ${range.start}-${range.end}/${record.size}`,
  ),
  'Accept-Ranges': 'bytes',
  ETag: `"${Buffer.from(record.md5Hash, 'base64').toString('hex')}"`,
  'Last-Modified': new Date(record.updated).toUTCString(),
  'x-goog-generation': record.generation,
  'x-goog-metageneration': record.metageneration,
  'x-goog-hash': `crc32c=${record.crc32c},md5=${record.md5Hash}`,
  'x-goog-stored-content-length': String(record.size),
  'x-goog-stored-content-encoding': record.contentEncoding ?? 'identity',
  'x-goog-storage-class': 'STANDARD',
  ...optional('Content-Encoding', record.contentEncoding),
  ...optional('Content-Disposition', record.contentDisposition),
  ...optional('Content-Language', record.contentLanguage),
  ...optional('Cache-Control', record.cacheControl),
});

const download: RouteHandler = async (
  { req, res, query, bucket, object },
  { objects },
) => {
  const { record, handle } = await objects.open(
    bucket,
    object,
    query.get('generation') ?? undefined,
    preconditionsFrom(query),
  );
  let range: ByteRange | undefined;
  try {
    range = parseRange(headerValue(req, 'range'), record.size);
  } catch (error) {
    await handle.close();
    throw error;
  }
  res.writeHead(range ? 206 : 200, mediaHeaders(record, range));
  if (req.method === 'HEAD' || record.size === 0) {
    await handle.close();
    res.end();
    return;
  }
  const content = handle.createReadStream({
    start: range?.start ?? 0,
    end: range?.end ?? record.size - 1,
    highWaterMark: 256 * 1024,
  });
  await pipeline(content, res);
};

export const objectRoutes: RouteHandlers = {
  'objects.list': async ({ res, query, baseUrl, bucket }, { objects }) => {
    const page = listPage(await objects.list(bucket), listQueryFrom(query));
    sendJson(res, 200, {
      kind: 'storage#objects',
      ...(page.items.length
        ? {
            items: page.items.map((record) =>
              toObjectResource(record, baseUrl),
            ),
          }
        : {}),
      ...(page.prefixes.length ? { prefixes: page.prefixes } : {}),
      ...(page.nextPageToken ? { nextPageToken: page.nextPageToken } : {}),
    });
  },

  'objects.get': async (request, context) => {
    const { res, query, baseUrl, bucket, object } = request;
    if (query.get('alt') === 'media') return download(request, context);
    const record = await context.objects.get(bucket, object);
    const generation = query.get('generation');
    if (generation !== null && generation !== record.generation) {
      throw noSuchObject(bucket, object);
    }
    assertPreconditions(preconditionsFrom(query), record, 'read');
    sendJson(res, 200, toObjectResource(record, baseUrl));
  },

  'objects.download': download,

  'objects.patch': async (
    { req, res, query, baseUrl, bucket, object },
    { objects },
  ) => {
    const patch = parseObjectAttributes(
      await readJsonBody(req, STORAGE_DEFAULTS.maxJsonBodyBytes),
      true,
    );
    const record = await objects.patch(
      bucket,
      object,
      patch,
      preconditionsFrom(query),
    );
    sendJson(res, 200, toObjectResource(record, baseUrl));
  },

  'objects.delete': async ({ res, query, bucket, object }, { objects }) => {
    await objects.delete(bucket, object, preconditionsFrom(query));
    sendEmpty(res, 204);
  },
};
