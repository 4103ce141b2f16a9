/** Every HTTP route (APP_GUARD): open, or a principal with the scope the route needs (request-policy.ts). */
import {
  ForbiddenException,
  Inject,
  Injectable,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { CONFIG } from '../config/config.module.js';
import type { HarrierConfig } from '../config/config.schema.js';
import { AuthService, type Principal } from './auth.service.js';
import { allows, CSRF_HEADER, isCsrfSafe, isRead, routePolicy } from './request-policy.js';
import { readSessionCookie } from './session-cookie.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
}

const CROSS_SITE = `Cross-site request refused: changes made with the session cookie need the ${CSRF_HEADER} header and this origin`;
const DISABLED: Principal = { user: 'anonymous', scope: 'admin', via: 'disabled' };

@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly auth: AuthService,
    @Inject(CONFIG) private readonly config: HarrierConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    // The socket.io handshake is authenticated by the gateway's middleware.
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (!this.auth.enabled) {
      request.principal = DISABLED;
      return true;
    }
    const policy = routePolicy(request.method, request.routeOptions.url ?? request.url);
    const csrfSafe = () => isCsrfSafe(request.headers, this.config.server.publicUrl);
    if (policy.open) {
      if (policy.csrf && !csrfSafe()) throw new ForbiddenException(CROSS_SITE);
      return true;
    }

    const principal = await this.authenticate(request);
    if (!principal) throw new UnauthorizedException('Log in, or send "Authorization: Bearer <API token>"');
    if (!allows(principal.scope, policy.scope)) {
      throw new ForbiddenException(`This needs the ${policy.scope} scope; the token has ${principal.scope}`);
    }
    if (principal.via === 'session' && !isRead(request.method) && !csrfSafe()) throw new ForbiddenException(CROSS_SITE);
    request.principal = principal;
    return true;
  }

  /** A bearer token wins over the cookie; a token that is present but wrong is not retried as a cookie. */
  private async authenticate(request: FastifyRequest): Promise<Principal | undefined> {
    const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
    if (bearer) return this.auth.tokenPrincipal(bearer[1]!);
    const sessionId = readSessionCookie(request.headers.cookie);
    return sessionId ? this.auth.sessionPrincipal(sessionId) : undefined;
  }
}
