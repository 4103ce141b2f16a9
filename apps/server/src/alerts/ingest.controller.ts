import { Body, Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import { IngestTokenGuard } from '../auth/ingest-token.guard.js';
import { AlertsService } from './alerts.service.js';

/**
 * Falco's http_output target, as falcosidekick serves it: `POST /` with one JSON alert; Harrier also takes a JSON
 * array of alerts (all stored, or none), answering with how many it stored. falcosidekick-ui's ingest paths take
 * what falcosidekick's `webui` output posts, `{"event": alert, "outputs": [...]}`, so a falcosidekick kept in front
 * can post to Harrier in the UI's place.
 */
@Controller()
@UseGuards(IngestTokenGuard)
export class IngestController {
  constructor(private readonly alerts: AlertsService) {}

  @Post(['', 'api/v1', 'api/v1/events/add'])
  @HttpCode(200)
  async ingest(@Body() body: unknown): Promise<{ stored: number } | undefined> {
    const alerts = await this.alerts.ingestRaw(body);
    return Array.isArray(body) ? { stored: alerts.length } : undefined;
  }
}
