import type { Alert } from '@harrier/alert';
import { Controller, Get, Param, Query } from '@nestjs/common';
import type { AlertPage } from './alert.store.js';
import { AlertsService } from './alerts.service.js';

@Controller('api/v1/alerts')
export class AlertsController {
  constructor(private readonly alerts: AlertsService) {}

  @Get()
  search(@Query() params: Record<string, unknown>): Promise<AlertPage> {
    return this.alerts.search(params);
  }

  @Get(':id')
  get(@Param('id') id: string): Promise<Alert> {
    return this.alerts.get(id);
  }
}
