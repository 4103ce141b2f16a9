import type { Alert } from '@harrier/alert';
import { Controller, Get, Param, Query } from '@nestjs/common';
import type { AlertStats } from './alert-stats.js';
import type { AlertPage } from './alert.store.js';
import { AlertsService } from './alerts.service.js';

@Controller('api/v1/alerts')
export class AlertsController {
  constructor(private readonly alerts: AlertsService) {}

  @Get()
  search(@Query() params: Record<string, unknown>): Promise<AlertPage> {
    return this.alerts.search(params);
  }

  /** Overview counts for the filtered alerts: by priority, top rules/namespaces/pods/…, a series per `bucket`. */
  @Get('stats')
  stats(@Query() params: Record<string, unknown>): Promise<AlertStats> {
    return this.alerts.stats(params);
  }

  @Get(':id')
  get(@Param('id') id: string): Promise<Alert> {
    return this.alerts.get(id);
  }
}
