import { PubSub } from '@google-cloud/pubsub';
import { Storage } from '@google-cloud/storage';

export interface LocalEndpoints {
  projectId: string;
  /** `host:port` of the Pub/Sub emulator. */
  pubsubEndpoint: string;
  /** `http://host:port` of the Cloud Storage emulator. */
  storageUrl: string;
}

/** The official clients, pointed at the local emulators with an explicit project. */
export const localPubSubClient = (endpoints: LocalEndpoints): PubSub =>
  new PubSub({
    projectId: endpoints.projectId,
    apiEndpoint: endpoints.pubsubEndpoint,
    emulatorMode: true,
  });

export const localStorageClient = (endpoints: LocalEndpoints): Storage =>
  new Storage({
    projectId: endpoints.projectId,
    apiEndpoint: endpoints.storageUrl,
  });
