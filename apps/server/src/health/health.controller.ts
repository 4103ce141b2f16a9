import { All, Controller, Get, Header, HttpCode, Inject, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ALERT_STORE, type AlertStore, type StoreHealth } from '../alerts/alert.store.js';
import { RulesService, type RulesHealth } from '../rules/rules.service.js';

/**
 * Liveness as falcosidekick serves it, plus readiness that reflects the store. Rules that failed to reload are shown
 * but keep the status 200: the hub still works, on the previous rules.
 */
@Controller()
export class HealthController {
  constructor(
    @Inject(ALERT_STORE) private readonly store: AlertStore,
    @Inject(RulesService) private readonly rules: RulesService,
  ) {}

  /** Any method, as falcosidekick answers it. */
  @All('ping')
  @HttpCode(200)
  @Header('content-type', 'text/plain; charset=utf-8')
  ping(): string {
    return 'pong\n';
  }

  @Get('healthz')
  async healthz(
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<{ status: 'ok' | 'error'; store: StoreHealth; rules: RulesHealth }> {
    const store = await this.store.health();
    if (!store.ok) reply.status(503);
    return { status: store.ok ? 'ok' : 'error', store, rules: this.rules.health() };
  }
}
