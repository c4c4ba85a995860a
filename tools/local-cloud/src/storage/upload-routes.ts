import { badRequest } from './api-error';
import { parseContentRange } from './byte-range';
import {
  assertDeclaredHashes,
  hashFile,
  parseGoogHash,
  type ContentHashes,
} from './content-hashes';
import {
  headerValue,
  parseJson,
  readJsonBody,
  sendEmpty,
  sendJson,
} from './http-io';
import { multipartBoundary, readMultipartUpload } from './multipart-related';
import {
  parseObjectAttributes,
  toObjectResource,
  type ObjectAttributes,
} from './object-record';
import {
  assertPreconditions,
  preconditionsFrom,
  type Preconditions,
} from './preconditions';
import type {
  RouteHandler,
  RouteHandlers,
  StorageContext,
  StorageRequest,
} from './route-handler';
import { StagedFile } from './staged-file';
import { STORAGE_DEFAULTS } from './storage-defaults';

interface Upload {
  bucket: string;
  name: string;
  source: string;
  hashes: ContentHashes;
  attributes: ObjectAttributes;
  preconditions: Preconditions;
  /** Hashes the client declared for the content, checked before it is kept. */
  declared: { crc32c?: string; md5Hash?: string };
}

/** Turns a received upload into the object's new generation and answers with it. */
const commit = async (
  upload: Upload,
  { res, baseUrl }: StorageRequest,
  { objects }: StorageContext,
) => {
  assertDeclaredHashes(upload.declared, upload.hashes);
  const record = await objects.insert(upload);
  sendJson(res, 200, toObjectResource(record, baseUrl));
  return record;
};

const requireName = (name: unknown): string => {
  if (typeof name !== 'string' || name === '') {
    throw badRequest(
      'Required parameter: name (in the query or the object resource).',
      'required',
    );
  }
  return name;
};

/** Metadata parts and the bodies that start resumable uploads are object resources. */
const objectResource = (body: unknown) => {
  const attributes = parseObjectAttributes(body) as ObjectAttributes;
  const fields = (
    typeof body === 'object' && body !== null ? body : {}
  ) as Record<string, unknown>;
  return {
    attributes,
    name: fields['name'],
    declared: {
      crc32c:
        typeof fields['crc32c'] === 'string' ? fields['crc32c'] : undefined,
      md5Hash:
        typeof fields['md5Hash'] === 'string' ? fields['md5Hash'] : undefined,
    },
  };
};

/** Receives a body into a staged file, which is dropped if anything fails. */
const withStagedFile = async (
  context: StorageContext,
  work: (staged: StagedFile) => Promise<void>,
): Promise<void> => {
  const staged = await StagedFile.create(context.layout.stagingDir);
  try {
    await work(staged);
  } catch (error) {
    await staged.discard();
    throw error;
  }
};

const mediaUpload: RouteHandler = async (request, context) => {
  const { req, query, bucket } = request;
  const name = requireName(query.get('name'));
  await withStagedFile(context, async (staged) => {
    await staged.writeAll(req);
    await commit(
      {
        bucket,
        name,
        source: staged.path,
        hashes: await staged.finish(),
        attributes: {
          contentType: headerValue(req, 'content-type'),
          contentEncoding: query.get('contentEncoding') ?? undefined,
        },
        preconditions: preconditionsFrom(query),
        declared: parseGoogHash(req.headers['x-goog-hash']),
      },
      request,
      context,
    );
  });
};

const multipartUpload: RouteHandler = async (request, context) => {
  const { req, query, bucket } = request;
  const boundary = multipartBoundary(headerValue(req, 'content-type'));
  await withStagedFile(context, async (staged) => {
    const parts = await readMultipartUpload(
      req,
      boundary,
      (chunk) => staged.write(chunk),
      STORAGE_DEFAULTS.maxJsonBodyBytes,
    );
    const resource = objectResource(parseJson(parts.metadata));
    await commit(
      {
        bucket,
        name: requireName(query.get('name') ?? resource.name),
        source: staged.path,
        hashes: await staged.finish(),
        attributes: {
          ...resource.attributes,
          contentType:
            resource.attributes.contentType ??
            parts.mediaHeaders['content-type'],
        },
        preconditions: preconditionsFrom(query),
        declared: {
          ...resource.declared,
          ...parseGoogHash(req.headers['x-goog-hash']),
        },
      },
      request,
      context,
    );
  });
};

const startResumableUpload: RouteHandler = async (
  { req, res, query, baseUrl, bucket },
  context,
) => {
  const resource = objectResource(
    await readJsonBody(req, STORAGE_DEFAULTS.maxJsonBodyBytes),
  );
  const name = requireName(query.get('name') ?? resource.name);
  const preconditions = preconditionsFrom(query);
  // Checked again when the upload completes; failing now saves sending the bytes.
  assertPreconditions(
    preconditions,
    await context.objects.find(bucket, name),
    'write',
  );
  const declaredSize = headerValue(req, 'x-upload-content-length');
  const pending = await context.uploads.create({
    bucket,
    name,
    attributes: {
      ...resource.attributes,
      contentType:
        resource.attributes.contentType ??
        headerValue(req, 'x-upload-content-type'),
    },
    preconditions,
    ...(declaredSize ? { declaredSize: Number(declaredSize) } : {}),
  });
  const location = new URL(req.url ?? '/', baseUrl);
  location.searchParams.set('upload_id', pending.id);
  sendEmpty(res, 200, { Location: location.toString() });
};

const resumeUpload: RouteHandler = async (request, context) => {
  const { req, res, query, baseUrl } = request;
  const { uploads } = context;
  await uploads.use(query.get('upload_id'), async (pending) => {
    if (pending.result) {
      sendJson(res, 200, toObjectResource(pending.result, baseUrl));
      return;
    }
    const range = parseContentRange(headerValue(req, 'content-range'));
    let received = await uploads.received(pending.id);
    const sendsBytes = range?.start !== undefined || range === undefined;
    if (sendsBytes) {
      const start = range?.start ?? 0;
      if (start > received) {
        throw badRequest(
          `The upload has ${received} bytes; a request starting at byte ${start} would leave a gap.`,
        );
      }
      const length =
        range?.end === undefined ? undefined : range.end - start + 1;
      received = await uploads.append(
        pending.id,
        req,
        received - start,
        length === undefined
          ? undefined
          : Math.max(length - (received - start), 0),
      );
    }
    const total = range?.total;
    if (total !== undefined && received > total) {
      throw badRequest(
        `Received ${received} bytes for an upload declared as ${total} bytes.`,
      );
    }
    // An open end (`S-*` or no Content-Range) means this request carried the rest.
    const finished =
      total !== undefined
        ? received === total
        : sendsBytes && range?.end === undefined;
    if (!finished) {
      sendEmpty(
        res,
        308,
        received > 0 ? { Range: `bytes=0-${received - 1}` } : {},
      );
      return;
    }
    const source = uploads.partPath(pending.id);
    const hashes = await hashFile(source);
    if (
      pending.declaredSize !== undefined &&
      pending.declaredSize !== hashes.size
    ) {
      throw badRequest(
        `X-Upload-Content-Length was ${pending.declaredSize}, but ${hashes.size} bytes arrived.`,
      );
    }
    const record = await commit(
      {
        bucket: pending.bucket,
        name: pending.name,
        source,
        hashes,
        attributes: pending.attributes,
        preconditions: pending.preconditions,
        declared: parseGoogHash(req.headers['x-goog-hash']),
      },
      request,
      context,
    );
    await uploads.complete(pending, record);
  });
};

const UPLOAD_TYPES: Readonly<Record<string, RouteHandler>> = {
  media: mediaUpload,
  multipart: multipartUpload,
  resumable: startResumableUpload,
};

export const uploadRoutes: RouteHandlers = {
  'uploads.start': async (request, context) => {
    const uploadType = request.query.get('uploadType') ?? 'media';
    const handler = UPLOAD_TYPES[uploadType];
    if (!handler) {
      throw badRequest(
        `Unsupported uploadType ${JSON.stringify(uploadType)}: expected media, multipart or resumable.`,
      );
    }
    await context.buckets.get(request.bucket);
    await handler(request, context);
  },

  'uploads.resume': resumeUpload,

  'uploads.cancel': async ({ res, query }, { uploads }) => {
    await uploads.use(query.get('upload_id'), (pending) =>
      uploads.cancel(pending.id),
    );
    sendEmpty(res, 499);
  },
};
