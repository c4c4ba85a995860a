import { Storage } from '@google-cloud/storage';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The Google Cloud project every client is given explicitly: a client left
 * to discover it asks the metadata server, which stalls off Google Cloud.
 */
export const googleCloudProject = (env: Env = process.env): string => {
  const projectId = env['GOOGLE_CLOUD_PROJECT'];
  if (!projectId) {
    throw new Error('GOOGLE_CLOUD_PROJECT must name the Google Cloud project');
  }
  return projectId;
};

/** The official Cloud Storage client; `STORAGE_EMULATOR_HOST` points it at the local emulator. */
export const createStorageClient = (env: Env = process.env): Storage =>
  new Storage({
    projectId: googleCloudProject(env),
    ...(env['STORAGE_EMULATOR_HOST'] && {
      apiEndpoint: env['STORAGE_EMULATOR_HOST'],
    }),
  });
