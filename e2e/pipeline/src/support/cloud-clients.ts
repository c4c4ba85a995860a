import { PubSub } from '@google-cloud/pubsub';
import { Storage } from '@google-cloud/storage';
import { StackLocation } from '@event-pipeline/stack';

// Offline, the Google auth library would probe for a metadata server.
process.env['METADATA_SERVER_DETECTION'] ??= 'none';

type Endpoints = Pick<StackLocation, 'endpoints'>;

/** The official Cloud Storage client, pointed at the stack's emulator. */
export const storageClient = ({ endpoints }: Endpoints): Storage =>
  new Storage({
    projectId: endpoints.projectId,
    apiEndpoint: endpoints.storage,
  });

/** The official Pub/Sub client, pointed at the stack's emulator. */
export const pubsubClient = ({ endpoints }: Endpoints): PubSub =>
  new PubSub({
    projectId: endpoints.projectId,
    apiEndpoint: endpoints.pubsub,
    emulatorMode: true,
  });
