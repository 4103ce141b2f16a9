import { Module } from '@nestjs/common';
import { RulesModule } from '../rules/rules.module.js';
import { DemoService } from './demo.service.js';

@Module({ imports: [RulesModule], providers: [DemoService] })
export class DemoModule {}
