import { Body, Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import { IngestTokenGuard } from '../auth/ingest-token.guard.js';
import { AlertsService } from './alerts.service.js';

/** Falco's http_output target, as falcosidekick serves it: `POST /` with one JSON alert. */
@Controller()
@UseGuards(IngestTokenGuard)
export class IngestController {
  constructor(private readonly alerts: AlertsService) {}

  @Post()
  @HttpCode(200)
  async ingest(@Body() body: unknown): Promise<void> {
    await this.alerts.ingestRaw(body);
  }
}
