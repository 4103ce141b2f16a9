import { Module } from '@nestjs/common';
import { AlertsController } from './alerts.controller.js';
import { AlertsService } from './alerts.service.js';
import { IngestController } from './ingest.controller.js';
import { RetentionService } from './retention.service.js';

@Module({
  controllers: [IngestController, AlertsController],
  providers: [AlertsService, RetentionService],
  exports: [AlertsService],
})
export class AlertsModule {}
