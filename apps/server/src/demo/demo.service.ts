/** The first-run demo: feeds the sensor package's demo alerts through the normal ingest path. */
import { DemoSource } from '@harrier/sensor';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { AlertsService } from '../alerts/alerts.service.js';
import { CONFIG } from '../config/config.module.js';
import type { HarrierConfig } from '../config/config.schema.js';

@Injectable()
export class DemoService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Demo');
  private source: DemoSource | undefined;
  private running: Promise<void> | undefined;

  constructor(
    @Inject(CONFIG) private readonly config: HarrierConfig,
    @Inject(AlertsService) private readonly alerts: AlertsService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { enabled, ratePerSecond } = this.config.demo;
    if (!enabled) return;
    this.source = new DemoSource({ rate: ratePerSecond });
    await this.source.start();
    this.logger.log(`Demo alerts on: ${ratePerSecond}/s of realistic Falco alerts (DEMO=false turns them off)`);
    this.running = this.feed(this.source);
  }

  async onModuleDestroy(): Promise<void> {
    await this.source?.stop();
    await this.running;
  }

  private async feed(source: DemoSource): Promise<void> {
    for await (const alert of source.events()) {
      // A failed write (store down) loses only this demo alert; the trickle goes on.
      await this.alerts.ingest(alert).catch((error: unknown) => {
        this.logger.warn(`Demo alert not stored: ${error instanceof Error ? error.message : String(error)}`);
      });
    }
  }
}
