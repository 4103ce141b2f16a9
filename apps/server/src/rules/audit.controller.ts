import { Body, Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import { IngestTokenGuard } from '../auth/ingest-token.guard.js';
import { RulesService, type AuditResult } from './rules.service.js';

/** kube-apiserver's audit webhook backend (and anything sending audit events): `POST /k8s-audit`. */
@Controller()
@UseGuards(IngestTokenGuard)
export class AuditController {
  constructor(private readonly rules: RulesService) {}

  @Post('k8s-audit')
  @HttpCode(200)
  ingest(@Body() body: string | undefined): Promise<AuditResult> {
    // An empty request has no body at all (found by the fuzz suite): treat it as empty text, a 400.
    return this.rules.ingestAudit(body ?? '');
  }
}
