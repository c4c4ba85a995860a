import { onShutdownSignals } from './shutdown-signals';

describe('onShutdownSignals', () => {
  let now = 0;
  const graceful = jest.fn();
  const force = jest.fn();
  let dispose: () => void;

  beforeEach(() => {
    now = 0;
    graceful.mockReset();
    force.mockReset();
    dispose = onShutdownSignals({ graceful, force }, () => now);
  });

  afterEach(() => dispose());

  it('stops gracefully on the first signal and forcefully on a later one', () => {
    process.emit('SIGINT', 'SIGINT');
    expect(graceful).toHaveBeenCalledWith('SIGINT');
    now = 1500;
    process.emit('SIGINT', 'SIGINT');
    expect(force).toHaveBeenCalledWith('SIGINT');
    expect(graceful).toHaveBeenCalledTimes(1);
  });

  it('ignores the echo of the same Ctrl-C forwarded by npm', () => {
    process.emit('SIGINT', 'SIGINT');
    now = 20;
    process.emit('SIGINT', 'SIGINT');
    expect(graceful).toHaveBeenCalledTimes(1);
    expect(force).not.toHaveBeenCalled();
  });

  it('treats SIGTERM like SIGINT', () => {
    process.emit('SIGTERM', 'SIGTERM');
    expect(graceful).toHaveBeenCalledWith('SIGTERM');
  });

  it('lets go of the signals when disposed', () => {
    dispose();
    const before = process.listenerCount('SIGINT');
    dispose = onShutdownSignals({ graceful, force }, () => now);
    expect(process.listenerCount('SIGINT')).toBe(before + 1);
  });
});
