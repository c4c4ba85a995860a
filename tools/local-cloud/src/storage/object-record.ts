import { badRequest } from './api-error';

/** Object properties a client may set on upload and change by patch. */
export interface ObjectAttributes {
  contentType?: string;
  cacheControl?: string;
  contentDisposition?: string;
  contentEncoding?: string;
  contentLanguage?: string;
  customTime?: string;
  /** Custom metadata (`x-goog-meta-*` in the XML API). */
  metadata?: Record<string, string>;
}

const TEXT_ATTRIBUTES = [
  'contentType',
  'cacheControl',
  'contentDisposition',
  'contentEncoding',
  'contentLanguage',
  'customTime',
] as const;

/** What the emulator keeps about one object, next to its file. */
export interface ObjectRecord extends ObjectAttributes {
  bucket: string;
  name: string;
  generation: string;
  metageneration: string;
  contentType: string;
  size: number;
  md5Hash: string;
  crc32c: string;
  timeCreated: string;
  updated: string;
  /** The file as recorded; a file that no longer looks like this was changed by hand. */
  file: FileSignature;
}

export interface FileSignature {
  size: number;
  mtimeMs: number;
}

export const sameFile = (a: FileSignature, b: FileSignature): boolean =>
  a.size === b.size && a.mtimeMs === b.mtimeMs;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Reads the settable attributes out of an object resource sent by a client.
 * With `allowNull` (patch), a null removes the attribute or metadata key.
 */
export const parseObjectAttributes = (
  body: unknown,
  allowNull = false,
): { [K in keyof ObjectAttributes]: ObjectAttributes[K] | null } => {
  if (body === undefined || body === null) return {};
  if (!isRecord(body))
    throw badRequest('The object resource must be a JSON object.');
  const attributes: Record<string, unknown> = {};
  for (const key of TEXT_ATTRIBUTES) {
    const value = body[key];
    if (value === undefined) continue;
    if (value === null && allowNull) attributes[key] = null;
    else if (typeof value === 'string') attributes[key] = value;
    else throw badRequest(`Invalid value for ${key}: expected a string.`);
  }
  if (body['metadata'] === null && allowNull) {
    attributes['metadata'] = null;
  } else if (body['metadata'] !== undefined) {
    if (!isRecord(body['metadata'])) {
      throw badRequest('Invalid value for metadata: expected an object.');
    }
    attributes['metadata'] = Object.fromEntries(
      Object.entries(body['metadata']).map(([key, value]) => [
        key,
        value === null && allowNull ? null : String(value),
      ]),
    );
  }
  return attributes;
};

/** Applies a patch: null removes, metadata keys merge. */
export const patchAttributes = (
  record: ObjectRecord,
  patch: ReturnType<typeof parseObjectAttributes>,
): ObjectRecord => {
  const next: ObjectRecord = { ...record };
  for (const key of TEXT_ATTRIBUTES) {
    const value = patch[key];
    if (value === null) {
      if (key === 'contentType') next.contentType = 'application/octet-stream';
      else delete next[key];
    } else if (value !== undefined) {
      next[key] = value;
    }
  }
  if (patch.metadata === null) {
    delete next.metadata;
  } else if (patch.metadata) {
    const merged: Record<string, string | null> = {
      ...record.metadata,
      ...patch.metadata,
    };
    const kept = Object.entries(merged).filter(
      (entry): entry is [string, string] => entry[1] !== null,
    );
    if (kept.length > 0) next.metadata = Object.fromEntries(kept);
    else delete next.metadata;
  }
  return next;
};

/** The JSON API `storage#object` resource; int64 fields are strings, as on the wire. */
export const toObjectResource = (record: ObjectRecord, baseUrl: string) => {
  const path = `b/${encodeURIComponent(record.bucket)}/o/${encodeURIComponent(record.name)}`;
  const optional = Object.fromEntries(
    [...TEXT_ATTRIBUTES, 'metadata' as const]
      .filter((key) => record[key] !== undefined)
      .map((key) => [key, record[key]]),
  ) as ObjectAttributes;
  return {
    kind: 'storage#object',
    id: `${record.bucket}/${record.name}/${record.generation}`,
    selfLink: `${baseUrl}/storage/v1/${path}`,
    mediaLink: `${baseUrl}/download/storage/v1/${path}?generation=${record.generation}&alt=media`,
    name: record.name,
    bucket: record.bucket,
    generation: record.generation,
    metageneration: record.metageneration,
    ...optional,
    contentType: record.contentType,
    storageClass: 'STANDARD',
    size: String(record.size),
    md5Hash: record.md5Hash,
    crc32c: record.crc32c,
    etag: Buffer.from(`${record.generation}/${record.metageneration}`).toString(
      'base64',
    ),
    timeCreated: record.timeCreated,
    updated: record.updated,
    timeStorageClassUpdated: record.timeCreated,
  };
};

export type ObjectResource = ReturnType<typeof toObjectResource>;
