import { Module } from '@nestjs/common';
import { AlertsModule } from '../alerts/alerts.module.js';
import { AuditController } from './audit.controller.js';
import { RuleTester } from './rule-tester.js';
import { RulesController } from './rules.controller.js';
import { RulesService } from './rules.service.js';

@Module({
  imports: [AlertsModule],
  controllers: [AuditController, RulesController],
  providers: [RulesService, RuleTester],
  exports: [RulesService],
})
export class RulesModule {}
