/** One generation of one object in Cloud Storage: the unit of ingestion. */
export interface SourceFileRef {
  bucket: string;
  name: string;
  /** Object generation, a decimal int64 kept as a string. */
  generation: string;
}

/** `gs://bucket/object#generation`, the value of unified_events.source_file. */
export const sourceFileUri = (file: SourceFileRef): string =>
  `gs://${file.bucket}/${file.name}#${file.generation}`;

const SOURCE_FILE_URI = /^gs:\/\/([^/]+)\/(.+)#(\d+)$/;

export const parseSourceFileUri = (uri: string): SourceFileRef => {
  const match = SOURCE_FILE_URI.exec(uri);
  if (!match) {
    throw new Error(
      `Expected gs://bucket/object#generation, found ${JSON.stringify(uri)}`,
    );
  }
  return { bucket: match[1], name: match[2], generation: match[3] };
};
