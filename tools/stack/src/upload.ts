import { Storage } from '@google-cloud/storage';
import { sourceFileUri } from '@event-pipeline/schema';
import { InputFile } from './input-files';
import { createProgressReporter } from './upload-progress';

export interface UploadOptions {
  /** Files from this size on go up in a resumable upload. */
  resumableThresholdBytes: number;
  /** Where the progress line goes; none when absent. */
  progress?: NodeJS.WritableStream;
}

/** Uploads one file to the bucket; returns its `gs://bucket/object#generation`. */
export const uploadFile = async (
  storage: Storage,
  bucket: string,
  file: InputFile,
  { resumableThresholdBytes, progress }: UploadOptions,
): Promise<string> => {
  const resumable = file.size >= resumableThresholdBytes;
  const reporter =
    progress &&
    createProgressReporter(
      progress,
      `${file.label}${resumable ? ' (resumable)' : ''}`,
      file.size,
    );
  const [uploaded] = await storage.bucket(bucket).upload(file.path, {
    destination: file.objectName,
    resumable,
    onUploadProgress: ({ bytesWritten }) => reporter?.update(bytesWritten),
  });
  reporter?.finish();
  const generation = uploaded.metadata.generation;
  if (generation === undefined) {
    throw new Error(
      `The upload of ${file.label} came back without a generation`,
    );
  }
  return sourceFileUri({
    bucket,
    name: file.objectName,
    generation: String(generation),
  });
};
