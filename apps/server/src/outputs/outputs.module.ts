import { Module } from '@nestjs/common';
import { AlertsModule } from '../alerts/alerts.module.js';
import { OutputsController } from './outputs.controller.js';
import { OutputsService } from './outputs.service.js';

@Module({ imports: [AlertsModule], controllers: [OutputsController], providers: [OutputsService] })
export class OutputsModule {}
