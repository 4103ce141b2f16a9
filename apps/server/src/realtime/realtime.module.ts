import { Module } from '@nestjs/common';
import { AlertsGateway } from './alerts.gateway.js';

@Module({ providers: [AlertsGateway] })
export class RealtimeModule {}
