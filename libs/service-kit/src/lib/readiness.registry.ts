import { Injectable } from '@nestjs/common';

export type ReadinessCheck = () => boolean;

/** Named checks that must all pass before the service takes traffic. */
@Injectable()
export class ReadinessRegistry {
  private readonly checks = new Map<string, ReadinessCheck>();

  register(name: string, check: ReadinessCheck): void {
    this.checks.set(name, check);
  }

  /** Each check's state; a service with no checks registered is not ready. */
  report(): { ready: boolean; checks: Record<string, boolean> } {
    const checks = Object.fromEntries(
      [...this.checks].map(([name, check]) => [name, check()]),
    );
    const states = Object.values(checks);
    return { ready: states.length > 0 && states.every(Boolean), checks };
  }
}
