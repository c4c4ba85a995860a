import { Warehouse } from '@event-pipeline/warehouse';
import { ProfileColumnsReconciler } from './profile-columns.reconciler';

const reconcilerWith = (
  reconcileProfileColumns: Warehouse['reconcileProfileColumns'],
) => new ProfileColumnsReconciler({ reconcileProfileColumns } as Warehouse);

describe('ProfileColumnsReconciler', () => {
  it('runs one reconcile at a time', async () => {
    let finish!: () => void;
    const calls = jest
      .fn()
      .mockImplementationOnce(
        () =>
          new Promise((resolve) => {
            finish = () => resolve({ ran: true, rowsUpdated: 3 });
          }),
      )
      .mockResolvedValue({ ran: false, rowsUpdated: 0 });
    const reconciler = reconcilerWith(calls);
    const first = reconciler.reconcile();
    const second = reconciler.reconcile();
    expect(calls).toHaveBeenCalledTimes(1);
    finish();
    await Promise.all([first, second]);
    await reconciler.reconcile();
    expect(calls).toHaveBeenCalledTimes(2);
  });

  it('survives a failed run, and the next one runs', async () => {
    const calls = jest
      .fn()
      .mockRejectedValueOnce(new Error('quota exceeded'))
      .mockResolvedValueOnce({ ran: false, rowsUpdated: 0 });
    const reconciler = reconcilerWith(calls);
    await expect(reconciler.reconcile()).resolves.toBeUndefined();
    await expect(reconciler.reconcile()).resolves.toBeUndefined();
    expect(calls).toHaveBeenCalledTimes(2);
  });

  it('waits for a run in progress when the application shuts down', async () => {
    let finished = false;
    const reconciler = reconcilerWith(async () => {
      await Promise.resolve();
      finished = true;
      return { ran: true, rowsUpdated: 0 };
    });
    reconciler.onApplicationBootstrap();
    void reconciler.reconcile();
    await reconciler.onApplicationShutdown();
    expect(finished).toBe(true);
  });
});
