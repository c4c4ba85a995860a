import {
  ErrorRecordBatchDto,
  ProfileChangeBatchDto,
  SubscriptionKey,
  Topology,
  UnifiedEventBatchDto,
} from '@event-pipeline/schema';
import {
  Controller,
  DynamicModule,
  INestMicroservice,
  LoggerService,
  Module,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { defer, Observable } from 'rxjs';
import {
  PubSubContext,
  PubSubMessageContract,
  PubSubServer,
  PubSubServerOptions,
} from '../../src';
import type { PubSubTestBed } from './pubsub-test-bed';
import { Observed } from './wait';

export interface Delivery {
  pattern: string;
  data: unknown;
  messageId: string;
  attempt: number;
  orderingKey: string | undefined;
  attributes: Readonly<Record<string, string>>;
  publishTime: Date;
  subscription: string;
  status: 'running' | 'done' | 'failed';
}

/** Records what the handlers see and does what the test tells it to. */
export class Probe extends Observed {
  readonly deliveries: Delivery[] = [];
  behaviour: (delivery: Delivery) => unknown = () => undefined;
  private running = 0;
  maxRunning = 0;

  async handle(
    pattern: string,
    data: unknown,
    context: PubSubContext,
  ): Promise<void> {
    const delivery: Delivery = {
      pattern,
      data,
      messageId: context.getMessageId(),
      attempt: context.getDeliveryAttempt(),
      orderingKey: context.getOrderingKey(),
      attributes: context.getAttributes(),
      publishTime: context.getPublishTime(),
      subscription: context.getSubscription(),
      status: 'running',
    };
    this.deliveries.push(delivery);
    this.maxRunning = Math.max(this.maxRunning, ++this.running);
    this.changed();
    try {
      await this.behaviour(delivery);
      delivery.status = 'done';
    } catch (error) {
      delivery.status = 'failed';
      throw error;
    } finally {
      this.running--;
      this.changed();
    }
  }

  withStatus(status: Delivery['status']): Delivery[] {
    return this.deliveries.filter((delivery) => delivery.status === status);
  }
}

const profileChanges: PubSubMessageContract = { dto: ProfileChangeBatchDto };
const unifiedEvents: PubSubMessageContract = { dto: UnifiedEventBatchDto };
const errorRecords: PubSubMessageContract = { dto: ErrorRecordBatchDto };

@Controller()
class ProbeController {
  constructor(private readonly probe: Probe) {}

  @EventPattern('profileUpdater', profileChanges)
  profileChanges(
    @Payload() batch: ProfileChangeBatchDto,
    @Ctx() context: PubSubContext,
  ) {
    return this.probe.handle('profileUpdater', batch, context);
  }

  /** Answers with an observable, as Nest handlers may. */
  @EventPattern('eventStreamer', unifiedEvents)
  unifiedEvents(
    @Payload() batch: UnifiedEventBatchDto,
    @Ctx() context: PubSubContext,
  ): Observable<void> {
    return defer(() => this.probe.handle('eventStreamer', batch, context));
  }

  /** Its subscription has no dead-letter policy in these tests. */
  @EventPattern('errorArchiver', errorRecords)
  errorRecords(
    @Payload() batch: ErrorRecordBatchDto,
    @Ctx() context: PubSubContext,
  ) {
    return this.probe.handle('errorArchiver', batch, context);
  }
}

@Module({})
class ProbeModule {}

/**
 * Creates the topics and the subscriptions the probe's handlers read, the
 * error archiver's without dead-letter policy, plus any `others`.
 */
export const provisionForProbe = (
  bed: PubSubTestBed,
  topology: Topology,
  others: SubscriptionKey[] = [],
) =>
  bed.provision(
    topology,
    ['profileUpdater', 'eventStreamer', 'errorArchiver', ...others],
    ['errorArchiver'],
  );

/** A module whose handlers are backed by `probe`. */
export const probeModule = (probe: Probe): DynamicModule => ({
  module: ProbeModule,
  controllers: [ProbeController],
  providers: [{ provide: Probe, useValue: probe }],
});

/** Keeps what Nest and the transport log, to assert on it. */
export class CapturingLogger extends Observed implements LoggerService {
  readonly lines: { level: string; message: string }[] = [];

  private keep(level: string) {
    return (message: unknown) => {
      this.lines.push({ level, message: String(message) });
      this.changed();
    };
  }

  log = this.keep('log');
  error = this.keep('error');
  warn = this.keep('warn');
  debug = this.keep('debug');
  verbose = this.keep('verbose');
  fatal = this.keep('fatal');

  at(level: string): string[] {
    return this.lines
      .filter((line) => line.level === level)
      .map((line) => line.message);
  }
}

export interface ProbeApp {
  app: INestMicroservice;
  server: PubSubServer;
  logs: CapturingLogger;
}

/** A real Nest microservice on the transport, handlers backed by `probe`. */
export const startProbeApp = async (
  probe: Probe,
  options: PubSubServerOptions,
): Promise<ProbeApp> => {
  const server = new PubSubServer(options);
  const logs = new CapturingLogger();
  const app = await NestFactory.createMicroservice(probeModule(probe), {
    strategy: server,
    logger: logs,
  });
  await app.listen();
  return { app, server, logs };
};
