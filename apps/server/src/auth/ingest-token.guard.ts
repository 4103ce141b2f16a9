/**
 * Optional ingest authentication (falcosidekick has none): with INGEST_TOKENS set, `POST /` and `POST /k8s-audit`
 * need `Authorization: Bearer <one of them>`. Compared in constant time, over digests so lengths do not leak.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CONFIG } from '../config/config.module.js';
import type { HarrierConfig } from '../config/config.schema.js';

const digest = (token: string) => createHash('sha256').update(token, 'utf8').digest();

@Injectable()
export class IngestTokenGuard implements CanActivate {
  private readonly digests: Buffer[];

  constructor(@Inject(CONFIG) config: HarrierConfig) {
    this.digests = config.ingest.tokens.map(digest);
  }

  canActivate(context: ExecutionContext): boolean {
    if (this.digests.length === 0) return true;
    const http = context.switchToHttp();
    const header = http.getRequest<FastifyRequest>().headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const presented = match ? digest(match[1]!) : undefined;
    if (presented && this.digests.some((d) => timingSafeEqual(d, presented))) return true;
    void http.getResponse<FastifyReply>().header('www-authenticate', 'Bearer realm="harrier-ingest"');
    throw new UnauthorizedException(
      match ? 'The ingest token is not valid' : 'Ingest needs "Authorization: Bearer <token>" (INGEST_TOKENS is set)',
    );
  }
}
