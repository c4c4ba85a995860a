import { PubSub } from '@google-cloud/pubsub';
import type { ResolvedConnection } from './pubsub-transport.options';

/** A Google Pub/Sub client for the resolved project and endpoint. */
export const createPubSub = ({
  projectId,
  emulatorHost,
}: ResolvedConnection): PubSub =>
  new PubSub(
    emulatorHost ? { projectId, apiEndpoint: emulatorHost } : { projectId },
  );
