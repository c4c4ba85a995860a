import { join } from 'node:path';
import { errorLogFolder, SourceFileRef } from '@event-pipeline/schema';

export interface ErrorLogLocation {
  /** `gs://<errors bucket>/errors/dt=<date>/<object>/<generation>/` */
  gcs: string;
  /** The same folder in the local Cloud Storage emulator's data. */
  local: string;
}

/** Where the error-archiver writes a file's error logs. */
export const errorLogLocation = (
  file: SourceFileRef,
  errorsBucket: string,
  errorsDir: string,
): ErrorLogLocation => {
  const folder = `${errorLogFolder(file)}/`;
  return {
    gcs: `gs://${errorsBucket}/${folder}`,
    local: join(errorsDir, folder),
  };
};
