import { Module } from '@nestjs/common';
import { AlertsModule } from '../alerts/alerts.module.js';
import { HealthController } from './health.controller.js';

@Module({ imports: [AlertsModule], controllers: [HealthController] })
export class HealthModule {}
