import { PrometheusTransportMetrics } from './prometheus-transport-metrics';

describe('PrometheusTransportMetrics', () => {
  it('counts per pattern', () => {
    const metrics = new PrometheusTransportMetrics();
    metrics.received('a');
    metrics.received('a');
    metrics.acked('a');
    metrics.nacked('b');
    expect(metrics.count('received', 'a')).toBe(2);
    expect(metrics.count('acked', 'a')).toBe(1);
    expect(metrics.count('nacked', 'b')).toBe(1);
    expect(metrics.count('deadLettered', 'a')).toBe(0);
  });

  it('renders counters and a cumulative latency histogram in the text format', () => {
    const metrics = new PrometheusTransportMetrics([0.1, 1]);
    metrics.received('profileUpdater');
    metrics.deadLettered('profileUpdater');
    metrics.handlerLatency('profileUpdater', 0.05);
    metrics.handlerLatency('profileUpdater', 0.5);
    metrics.handlerLatency('profileUpdater', 3);
    const text = metrics.render();
    expect(text).toContain(
      [
        '# HELP pubsub_messages_received_total Messages delivered to this process.',
        '# TYPE pubsub_messages_received_total counter',
        'pubsub_messages_received_total{pattern="profileUpdater"} 1',
      ].join('\n'),
    );
    expect(text).toContain(
      'pubsub_messages_dead_lettered_total{pattern="profileUpdater"} 1\n',
    );
    expect(text).toContain(
      [
        '# TYPE pubsub_handler_duration_seconds histogram',
        'pubsub_handler_duration_seconds_bucket{pattern="profileUpdater",le="0.1"} 1',
        'pubsub_handler_duration_seconds_bucket{pattern="profileUpdater",le="1"} 2',
        'pubsub_handler_duration_seconds_bucket{pattern="profileUpdater",le="+Inf"} 3',
        'pubsub_handler_duration_seconds_sum{pattern="profileUpdater"} 3.55',
        'pubsub_handler_duration_seconds_count{pattern="profileUpdater"} 3',
      ].join('\n'),
    );
    expect(text.endsWith('\n')).toBe(true);
  });

  it('escapes label values', () => {
    const metrics = new PrometheusTransportMetrics();
    metrics.acked('a"b\\c\nd');
    expect(metrics.render()).toContain(
      'pubsub_messages_acked_total{pattern="a\\"b\\\\c\\nd"} 1',
    );
  });
});
