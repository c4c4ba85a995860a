import { extname } from 'node:path';

// Files dropped by hand come without a content type; these are the kinds
// the pipeline and its users handle. Anything else is plain bytes.
const BY_EXTENSION: Readonly<Record<string, string>> = {
  '.csv': 'text/csv',
  '.json': 'application/json',
  '.ndjson': 'application/x-ndjson',
  '.jsonl': 'application/x-ndjson',
  '.txt': 'text/plain',
  '.zip': 'application/zip',
  '.gz': 'application/gzip',
  '.parquet': 'application/vnd.apache.parquet',
};

export const DEFAULT_CONTENT_TYPE = 'application/octet-stream';

export const contentTypeForFileName = (name: string): string =>
  BY_EXTENSION[extname(name).toLowerCase()] ?? DEFAULT_CONTENT_TYPE;
