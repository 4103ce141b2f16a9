/**
 * The first-run demo: the sensor package's demo activity (Kubernetes audit events and container process events,
 * some benign, some suspicious) runs through the hub's rules like real events, so the dashboard fills with the
 * alerts Harrier's default rules raise.
 */
import { DemoActivitySource } from '@harrier/sensor';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { CONFIG } from '../config/config.module.js';
import type { HarrierConfig } from '../config/config.schema.js';
import { RulesService } from '../rules/rules.service.js';

@Injectable()
export class DemoService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Demo');
  private source: DemoActivitySource | undefined;
  private running: Promise<void> | undefined;

  constructor(
    @Inject(CONFIG) private readonly config: HarrierConfig,
    @Inject(RulesService) private readonly rules: RulesService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { enabled, ratePerSecond } = this.config.demo;
    if (!enabled) return;
    this.source = new DemoActivitySource({ rate: ratePerSecond });
    await this.source.start();
    this.logger.log(`Demo on: ${ratePerSecond} events/s through the rules (DEMO=false turns it off)`);
    this.running = this.feed(this.source);
  }

  async onModuleDestroy(): Promise<void> {
    await this.source?.stop();
    await this.running;
  }

  private async feed(source: DemoActivitySource): Promise<void> {
    for await (const { source: kind, event } of source.events()) {
      // A failed write (store down) loses only this demo event's alert; the demo goes on.
      await this.rules.ingestEvents(kind, [event]).catch((error: unknown) => {
        this.logger.warn(`Demo alert not stored: ${error instanceof Error ? error.message : String(error)}`);
      });
    }
  }
}
