import { join } from 'node:path';
import { SourceFileRef } from '@event-pipeline/schema';

export interface ErrorLogLocation {
  /** `gs://<errors bucket>/errors/dt=<date>/<object>/<generation>/` */
  gcs: string;
  /** The same folder in the local Cloud Storage emulator's data. */
  local: string;
}

/**
 * Where the error-archiver writes a file's error logs. The date is the
 * generation's (a generation is the object's creation time in
 * microseconds), as the error-archiver names them.
 */
export const errorLogLocation = (
  file: SourceFileRef,
  errorsBucket: string,
  errorsDir: string,
): ErrorLogLocation => {
  const date = new Date(Number(BigInt(file.generation) / 1000n))
    .toISOString()
    .slice(0, 10);
  const folder = `errors/dt=${date}/${file.name}/${file.generation}/`;
  return {
    gcs: `gs://${errorsBucket}/${folder}`,
    local: join(errorsDir, folder),
  };
};
