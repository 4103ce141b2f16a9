import { Body, Controller, HttpCode, NotFoundException, Post, Req, UseGuards } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { IngestTokenGuard } from '../auth/ingest-token.guard.js';
import { AlertsService } from './alerts.service.js';

/**
 * Falco's http_output target, as falcosidekick serves it: `POST /` with one JSON alert; Harrier also takes a JSON
 * array of alerts (all stored, or none), answering with how many it stored. falcosidekick-ui's ingest paths take
 * what falcosidekick's `webui` output posts, `{"event": alert, "outputs": [...]}`, so a falcosidekick kept in front
 * can post to Harrier in the UI's place. Other routes' POSTs (`/k8s-audit`, `/test`, the API) match first.
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

  /**
   * falcosidekick's `/` is a catch-all: a POST to any other path is ingest too (an `http_output.url` with a path
   * keeps working). Not under `/api/`, where a mistyped route gets its 404.
   */
  @Post('*')
  @HttpCode(200)
  async ingestAnyPath(@Req() request: FastifyRequest, @Body() body: unknown): Promise<{ stored: number } | undefined> {
    if (request.url.startsWith('/api/')) throw new NotFoundException(`Cannot POST ${request.url.split('?')[0]}`);
    return this.ingest(body);
  }
}
