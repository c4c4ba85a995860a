import { PubSub } from '@google-cloud/pubsub';
import type { ResolvedConnection } from './pubsub-transport.options';

/**
 * A Google Pub/Sub client for the resolved project and endpoint. Against
 * an emulator the universe domain is stated too: otherwise every new gRPC
 * stub asks Application Default Credentials for it, which probes the
 * metadata server, and stalls where there is none.
 */
export const createPubSub = ({
  projectId,
  emulatorHost,
}: Pick<ResolvedConnection, 'projectId' | 'emulatorHost'>): PubSub =>
  new PubSub(
    emulatorHost
      ? {
          projectId,
          apiEndpoint: emulatorHost,
          emulatorMode: true,
          universeDomain: 'googleapis.com',
        }
      : { projectId },
  );
