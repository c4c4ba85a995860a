import { Warehouse, WAREHOUSE } from '@event-pipeline/warehouse';
import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';

/** Every instance asks this often; the warehouse decides whether a run is due. */
const RECONCILE_EVERY_MS = 5 * 60_000;

/**
 * Keeps the profile columns of events current where a write cannot (on
 * BigQuery, streamed rows cannot be updated for a while). On SQLite every
 * profile write already updates the events, and the call does nothing.
 */
@Injectable()
export class ProfileColumnsReconciler
  implements OnApplicationBootstrap, OnApplicationShutdown
{
  private readonly logger = new Logger(ProfileColumnsReconciler.name);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(@Inject(WAREHOUSE) private readonly warehouse: Warehouse) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.reconcile(), RECONCILE_EVERY_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** One reconcile at a time; a failure is logged and the next tick tries again. */
  reconcile(): Promise<void> {
    this.running ??= this.warehouse
      .reconcileProfileColumns()
      .then(
        (run) => {
          if (run.ran)
            this.logger.log(`${run.rowsUpdated} event rows reconciled`);
        },
        (error: unknown) =>
          this.logger.error(`reconcile failed: ${String(error)}`),
      )
      .finally(() => (this.running = undefined));
    return this.running;
  }
}
