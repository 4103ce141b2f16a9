import { Module } from '@nestjs/common';
import { AlertsModule } from '../alerts/alerts.module.js';
import { DemoService } from './demo.service.js';

@Module({ imports: [AlertsModule], providers: [DemoService] })
export class DemoModule {}
