/** Keeps the store bounded: every few seconds, old alerts (by age and beyond the count cap) go, in small steps. */
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { CONFIG } from '../config/config.module.js';
import type { HarrierConfig } from '../config/config.schema.js';
import { ALERT_STORE, type AlertStore } from './alert.store.js';

const EVERY_MS = 10_000;
const BATCH = 500;
/** Per round, so trimming a large backlog never hogs the store or this replica. */
const BUDGET_MS = 1_000;

@Injectable()
export class RetentionService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Retention');
  private timer: NodeJS.Timeout | undefined;
  private round: Promise<void> | undefined;

  constructor(
    @Inject(CONFIG) private readonly config: HarrierConfig,
    @Inject(ALERT_STORE) private readonly store: AlertStore,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.round ??= this.trim()
        .then(() => undefined)
        .catch((error: unknown) =>
          this.logger.warn(`Trim failed, next round in ${EVERY_MS / 1000} s: ${(error as Error).message}`),
        )
        .finally(() => (this.round = undefined));
    }, EVERY_MS);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.round;
  }

  /** One round: trims until nothing is left to trim or the time budget is spent; returns how many went. */
  async trim(now = Date.now()): Promise<number> {
    const { maxAgeMs, maxAlerts } = this.config.retention;
    const started = Date.now();
    let removed = 0;
    for (;;) {
      const n = await this.store.trim(now - maxAgeMs, maxAlerts, BATCH, this.config.server.instance);
      removed += n;
      if (n < BATCH || Date.now() - started > BUDGET_MS) break;
    }
    if (removed > 0)
      this.logger.log(`Trimmed ${removed} alerts (older than ${maxAgeMs / 86_400_000} d or beyond ${maxAlerts})`);
    return removed;
  }
}
