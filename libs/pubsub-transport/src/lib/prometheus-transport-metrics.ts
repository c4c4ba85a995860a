import type { TransportMetrics } from './transport-metrics';

const COUNTERS = {
  received: {
    name: 'pubsub_messages_received_total',
    help: 'Messages delivered to this process.',
  },
  acked: {
    name: 'pubsub_messages_acked_total',
    help: 'Messages handled and acked.',
  },
  nacked: {
    name: 'pubsub_messages_nacked_total',
    help: 'Messages nacked for redelivery.',
  },
  deadLettered: {
    name: 'pubsub_messages_dead_lettered_total',
    help: 'Invalid messages published to the dead-letter topic.',
  },
  discarded: {
    name: 'pubsub_messages_discarded_total',
    help: 'Invalid messages acked with no dead-letter topic to send them to.',
  },
} as const;
type Counter = keyof typeof COUNTERS;

const LATENCY_NAME = 'pubsub_handler_duration_seconds';

/** Upper bounds, in seconds, of the handler latency histogram buckets. */
export const DEFAULT_LATENCY_BUCKETS: readonly number[] = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300,
];

interface Histogram {
  /** Cumulative counts, one per bucket bound. */
  buckets: number[];
  sum: number;
  count: number;
}

const escapeLabel = (value: string): string =>
  value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

/**
 * Keeps the transport's counters and handler latencies in memory and
 * renders them in the Prometheus text exposition format.
 */
export class PrometheusTransportMetrics implements TransportMetrics {
  private readonly counters = new Map<Counter, Map<string, number>>(
    (Object.keys(COUNTERS) as Counter[]).map((name) => [name, new Map()]),
  );
  private readonly latencies = new Map<string, Histogram>();

  constructor(
    private readonly bounds: readonly number[] = DEFAULT_LATENCY_BUCKETS,
  ) {}

  received(pattern: string): void {
    this.increment('received', pattern);
  }

  acked(pattern: string): void {
    this.increment('acked', pattern);
  }

  nacked(pattern: string): void {
    this.increment('nacked', pattern);
  }

  deadLettered(pattern: string): void {
    this.increment('deadLettered', pattern);
  }

  discarded(pattern: string): void {
    this.increment('discarded', pattern);
  }

  handlerLatency(pattern: string, seconds: number): void {
    let histogram = this.latencies.get(pattern);
    if (!histogram) {
      histogram = { buckets: this.bounds.map(() => 0), sum: 0, count: 0 };
      this.latencies.set(pattern, histogram);
    }
    this.bounds.forEach((bound, i) => {
      if (seconds <= bound) (histogram as Histogram).buckets[i]++;
    });
    histogram.sum += seconds;
    histogram.count++;
  }

  /** The value of one counter for one pattern (0 when never counted). */
  count(counter: Counter, pattern: string): number {
    return this.counters.get(counter)?.get(pattern) ?? 0;
  }

  render(): string {
    const lines: string[] = [];
    for (const [counter, values] of this.counters) {
      const { name, help } = COUNTERS[counter];
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} counter`);
      for (const [pattern, value] of values) {
        lines.push(`${name}{pattern="${escapeLabel(pattern)}"} ${value}`);
      }
    }
    lines.push(
      `# HELP ${LATENCY_NAME} Time handlers took, whatever their outcome.`,
      `# TYPE ${LATENCY_NAME} histogram`,
    );
    for (const [pattern, histogram] of this.latencies) {
      const label = `pattern="${escapeLabel(pattern)}"`;
      this.bounds.forEach((bound, i) => {
        lines.push(
          `${LATENCY_NAME}_bucket{${label},le="${bound}"} ${histogram.buckets[i]}`,
        );
      });
      lines.push(
        `${LATENCY_NAME}_bucket{${label},le="+Inf"} ${histogram.count}`,
        `${LATENCY_NAME}_sum{${label}} ${histogram.sum}`,
        `${LATENCY_NAME}_count{${label}} ${histogram.count}`,
      );
    }
    return `${lines.join('\n')}\n`;
  }

  private increment(counter: Counter, pattern: string): void {
    const values = this.counters.get(counter) as Map<string, number>;
    values.set(pattern, (values.get(pattern) ?? 0) + 1);
  }
}
