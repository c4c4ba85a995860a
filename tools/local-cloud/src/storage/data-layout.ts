import { createHash } from 'node:crypto';
import { join, relative, sep } from 'node:path';
import { badRequest } from './api-error';

/**
 * The data folder:
 *
 *   <dataDir>/storage/<bucket>/<object name>    objects, as plain files
 *   <dataDir>/storage-state/buckets/<bucket>.json        bucket resource and notification configs
 *   <dataDir>/storage-state/objects/<bucket>/<hash>.json object metadata
 *   <dataDir>/storage-state/uploads/<id>.json|.part      resumable uploads in progress
 *   <dataDir>/storage-state/outbox/<id>.json             notifications not yet published
 *   <dataDir>/storage-state/staging/                     files being written
 *
 * Everything but the object files is the emulator's own bookkeeping. Staging
 * and uploads sit on the same file system as the objects, so that a finished
 * file moves into place with one rename and is never seen half-written.
 */
export class DataLayout {
  readonly bucketsRoot: string;
  readonly stateRoot: string;
  readonly stagingDir: string;
  readonly uploadsDir: string;
  readonly outboxDir: string;

  constructor(readonly dataDir: string) {
    this.bucketsRoot = join(dataDir, 'storage');
    this.stateRoot = join(dataDir, 'storage-state');
    this.stagingDir = join(this.stateRoot, 'staging');
    this.uploadsDir = join(this.stateRoot, 'uploads');
    this.outboxDir = join(this.stateRoot, 'outbox');
  }

  bucketDir(bucket: string): string {
    return join(this.bucketsRoot, bucket);
  }

  bucketRecordPath(bucket: string): string {
    return join(this.stateRoot, 'buckets', `${bucket}.json`);
  }

  objectRecordsDir(bucket: string): string {
    return join(this.stateRoot, 'objects', bucket);
  }

  /** Hashed, because object names can be longer than a file name may be. */
  objectRecordPath(bucket: string, name: string): string {
    const key = createHash('sha256').update(name).digest('hex');
    return join(this.objectRecordsDir(bucket), `${key}.json`);
  }

  objectPath(bucket: string, name: string): string {
    return join(this.bucketDir(bucket), ...objectNameSegments(name));
  }

  /** The bucket and object name a file under the buckets root stands for. */
  locate(filePath: string): { bucket: string; name: string } {
    const [bucket, ...segments] = relative(this.bucketsRoot, filePath).split(
      sep,
    );
    return { bucket, name: segments.join('/') };
  }
}

const BUCKET_NAME = /^[a-z0-9][a-z0-9._-]*[a-z0-9]$/;

export const isValidBucketName = (name: string): boolean =>
  name.length >= 3 &&
  name.length <= 222 &&
  BUCKET_NAME.test(name) &&
  !name.startsWith('goog') &&
  name.split('.').every((part) => part.length > 0 && part.length <= 63) &&
  !/^\d+\.\d+\.\d+\.\d+$/.test(name);

export const assertValidBucketName = (name: string): void => {
  if (!isValidBucketName(name)) {
    throw badRequest(
      `Invalid bucket name: '${name}'. Use 3 to 63 lowercase letters, digits, dashes, underscores or dots, starting and ending with a letter or digit.`,
    );
  }
};

/**
 * The path segments an object name is stored under. Names that cannot be a
 * file path (empty segments, `.` or `..`, a trailing slash) are refused:
 * every object must be a plain file a person can open.
 */
export const objectNameSegments = (name: string): string[] => {
  if (name.length === 0 || Buffer.byteLength(name) > 1024) {
    throw badRequest(
      `Object names must be 1 to 1024 bytes long, found ${Buffer.byteLength(name)} bytes.`,
    );
  }
  if (/[\r\n\0]/.test(name)) {
    throw badRequest(
      `Object name ${JSON.stringify(name)} contains a line break or NUL.`,
    );
  }
  const segments = name.split('/');
  if (segments.some((s) => s === '' || s === '.' || s === '..')) {
    throw badRequest(
      `Object name ${JSON.stringify(name)} cannot be stored as a file in the local data folder: it has an empty, '.' or '..' path segment or ends with '/'.`,
    );
  }
  return segments;
};
