import { Server, ServerCredentials, status } from '@grpc/grpc-js';
import { createLogger, type Logger } from '../shared/logger';
import { ApiError } from './api-error';
import { Broker } from './broker';
import { BrokerJournal } from './broker-journal';
import { PUBSUB_DEFAULTS } from './defaults';
import { pubSubServices } from './proto-definitions';
import { publisherService } from './publisher.service';
import { subscriberService } from './subscriber.service';

export interface PubSubEmulatorOptions {
  /** Interface to listen on; loopback unless set. */
  host?: string;
  /** 8085 unless set; 0 picks a free port. */
  port?: number;
  /** Folder that keeps topics, subscriptions and unacked messages across restarts; in memory when absent. */
  dataDir?: string;
  logger?: Logger;
}

export interface PubSubEmulator {
  host: string;
  port: number;
  /** `host:port`, for PUBSUB_EMULATOR_HOST or the client's apiEndpoint. */
  endpoint: string;
  /** Ends open streams with UNAVAILABLE, stops the server and flushes the journal. */
  stop(): Promise<void>;
}

const hostPort = (host: string, port: number) => `${host.includes(':') ? `[${host}]` : host}:${port}`;

const bind = (server: Server, address: string): Promise<number> =>
  new Promise((resolve, reject) =>
    server.bindAsync(address, ServerCredentials.createInsecure(), (error, port) =>
      error ? reject(new Error(`Pub/Sub emulator cannot listen on ${address}: ${error.message}`)) : resolve(port),
    ),
  );

const shutdown = (server: Server): Promise<void> =>
  new Promise((resolve) => {
    const force = setTimeout(() => server.forceShutdown(), PUBSUB_DEFAULTS.shutdownGraceMs);
    server.tryShutdown(() => {
      clearTimeout(force);
      resolve();
    });
  });

/** Starts a google.pubsub.v1 gRPC server that the official clients can use. */
export const startPubSubEmulator = async (options: PubSubEmulatorOptions = {}): Promise<PubSubEmulator> => {
  const logger = options.logger ?? createLogger({ scope: 'pubsub' });
  const host = options.host ?? PUBSUB_DEFAULTS.host;
  const broker = new Broker(logger);
  const journal = options.dataDir ? BrokerJournal.open(options.dataDir, broker, logger) : undefined;
  const server = new Server({
    'grpc.max_receive_message_length': PUBSUB_DEFAULTS.maxReceiveMessageBytes,
    'grpc.keepalive_time_ms': PUBSUB_DEFAULTS.keepaliveMs,
  });
  const services = pubSubServices();
  server.addService(services.publisher, publisherService(broker, logger));
  server.addService(services.subscriber, subscriberService(broker, logger));
  let port: number;
  try {
    port = await bind(server, hostPort(host, options.port ?? PUBSUB_DEFAULTS.port));
  } catch (error) {
    broker.close(new ApiError(status.UNAVAILABLE, 'Pub/Sub emulator failed to start'));
    journal?.close();
    throw error;
  }
  const endpoint = hostPort(host, port);
  logger.info('Pub/Sub emulator listening', { endpoint, dataDir: options.dataDir ?? '(in memory)' });
  let stopping: Promise<void> | undefined;
  const stop = async () => {
    broker.close(new ApiError(status.UNAVAILABLE, 'Pub/Sub emulator is shutting down'));
    await shutdown(server);
    journal?.close();
    logger.info('Pub/Sub emulator stopped', { endpoint });
  };
  return {
    host,
    port,
    endpoint,
    stop: () => (stopping ??= stop()),
  };
};
