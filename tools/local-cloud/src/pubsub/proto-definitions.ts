import type { ServiceDefinition } from '@grpc/grpc-js';
import { fromJSON, type Options } from '@grpc/proto-loader';

export interface PubSubServices {
  publisher: ServiceDefinition;
  subscriber: ServiceDefinition;
}

/**
 * proto-loader's field mapping: camelCase names as the official client
 * uses, int64 as numbers (counts and seconds stay far below 2^53), and
 * defaults filled in so handlers need no null checks on scalars.
 */
const OPTIONS: Options = { keepCase: false, longs: Number, enums: String, defaults: true, oneofs: true };

let services: PubSubServices | undefined;

/**
 * The google.pubsub.v1 services from the descriptor that @google-cloud/pubsub
 * ships (its protos compiled together with the google/api and
 * google/protobuf ones they import), so server and client share one
 * definition. Loaded once per process, on first use.
 */
export const pubSubServices = (): PubSubServices => {
  if (!services) {
    const descriptor = require('@google-cloud/pubsub/build/protos/protos.json');
    const definitions = fromJSON(descriptor, OPTIONS);
    services = {
      publisher: definitions['google.pubsub.v1.Publisher'] as ServiceDefinition,
      subscriber: definitions['google.pubsub.v1.Subscriber'] as ServiceDefinition,
    };
  }
  return services;
};
