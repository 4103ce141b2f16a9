/**
 * socket.io connections are authenticated like the API, once, at the handshake: an API token in the handshake's
 * `auth.token`, or the session cookie from the dashboard's own origin (a cross-site page could otherwise open a
 * socket with the visitor's cookie). A rejected handshake gets a connect_error "unauthorized".
 */
import { Inject, Injectable } from '@nestjs/common';
import { CONFIG } from '../config/config.module.js';
import type { HarrierConfig } from '../config/config.schema.js';
import { AuthService, type Principal } from './auth.service.js';
import { isSameOrigin } from './request-policy.js';
import { readSessionCookie } from './session-cookie.js';

export interface Handshake {
  headers: Record<string, string | string[] | undefined>;
  auth: Record<string, unknown>;
}

@Injectable()
export class SocketAuthenticator {
  constructor(
    private readonly auth: AuthService,
    @Inject(CONFIG) private readonly config: HarrierConfig,
  ) {}

  /** Undefined when the connection must be refused. */
  async authenticate({ headers, auth }: Handshake): Promise<Principal | undefined> {
    if (!this.auth.enabled) return { user: 'anonymous', scope: 'admin', via: 'disabled' };
    if (typeof auth['token'] === 'string') return this.auth.tokenPrincipal(auth['token']);
    const cookie = typeof headers['cookie'] === 'string' ? headers['cookie'] : undefined;
    const sessionId = readSessionCookie(cookie);
    if (!sessionId || !isSameOrigin(headers, this.config.server.publicUrl)) return undefined;
    return this.auth.sessionPrincipal(sessionId);
  }
}
