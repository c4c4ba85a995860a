import { EventEmitter } from 'node:events';
import { onShutdownSignals } from './shutdown-signals';

describe('onShutdownSignals', () => {
  let now = 0;
  const graceful = jest.fn();
  const force = jest.fn();
  let dispose: () => void;
  // Signals are delivered to this emitter as Node delivers them to `process`.
  let signals: EventEmitter;

  beforeEach(() => {
    now = 0;
    signals = new EventEmitter();
    graceful.mockReset();
    force.mockReset();
    dispose = onShutdownSignals({ graceful, force }, () => now, signals);
  });

  afterEach(() => dispose());

  it('stops gracefully on the first signal and forcefully on a later one', () => {
    signals.emit('SIGINT', 'SIGINT');
    expect(graceful).toHaveBeenCalledWith('SIGINT');
    now = 1500;
    signals.emit('SIGINT', 'SIGINT');
    expect(force).toHaveBeenCalledWith('SIGINT');
    expect(graceful).toHaveBeenCalledTimes(1);
  });

  it('ignores the echo of the same Ctrl-C forwarded by npm', () => {
    signals.emit('SIGINT', 'SIGINT');
    now = 20;
    signals.emit('SIGINT', 'SIGINT');
    expect(graceful).toHaveBeenCalledTimes(1);
    expect(force).not.toHaveBeenCalled();
  });

  it('treats SIGTERM like SIGINT', () => {
    signals.emit('SIGTERM', 'SIGTERM');
    expect(graceful).toHaveBeenCalledWith('SIGTERM');
  });

  it('lets go of the signals when disposed', () => {
    dispose();
    const before = signals.listenerCount('SIGINT');
    dispose = onShutdownSignals({ graceful, force }, () => now, signals);
    expect(signals.listenerCount('SIGINT')).toBe(before + 1);
  });
});
