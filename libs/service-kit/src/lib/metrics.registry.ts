import { Injectable } from '@nestjs/common';

/** Renders some metrics in the Prometheus text exposition format. */
export type MetricsSource = () => string;

@Injectable()
export class MetricsRegistry {
  private readonly sources: MetricsSource[] = [processMetrics];

  register(source: MetricsSource): void {
    this.sources.push(source);
  }

  render(): string {
    return this.sources.map((source) => source()).join('');
  }
}

const processMetrics: MetricsSource = () => {
  const { rss, heapUsed } = process.memoryUsage();
  return [
    '# TYPE process_resident_memory_bytes gauge',
    `process_resident_memory_bytes ${rss}`,
    '# TYPE nodejs_heap_used_bytes gauge',
    `nodejs_heap_used_bytes ${heapUsed}`,
    '# TYPE process_uptime_seconds gauge',
    `process_uptime_seconds ${process.uptime()}`,
    '',
  ].join('\n');
};
