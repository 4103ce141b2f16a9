import { Module } from '@nestjs/common';
import { AlertExportService } from './alert-export.js';
import { AlertsController } from './alerts.controller.js';
import { AlertsService } from './alerts.service.js';
import { ExportController } from './export.controller.js';
import { IngestController } from './ingest.controller.js';
import { RetentionService } from './retention.service.js';

@Module({
  // The export's static path is declared before `:id`.
  controllers: [IngestController, ExportController, AlertsController],
  providers: [AlertsService, AlertExportService, RetentionService],
  exports: [AlertsService],
})
export class AlertsModule {}
