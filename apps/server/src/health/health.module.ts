import { Module } from '@nestjs/common';
import { RulesModule } from '../rules/rules.module.js';
import { HealthController } from './health.controller.js';

@Module({ imports: [RulesModule], controllers: [HealthController] })
export class HealthModule {}
