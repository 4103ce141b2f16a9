/**
 * socket.io connections are authenticated like the API: an API token in the handshake's `auth.token`, or the
 * session cookie from the dashboard's own origin (a cross-site page could otherwise open a socket with the
 * visitor's cookie). A rejected handshake gets a connect_error "unauthorized". A socket opened with a session
 * lives no longer than it: it is closed when the session expires, at once when it is logged out on this replica,
 * and within SWEEP_MS when it was logged out on another.
 */
import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { CONFIG } from '../config/config.module.js';
import type { HarrierConfig } from '../config/config.schema.js';
import { SESSION_ENDED, SessionEnded } from './auth.events.js';
import { AuthService, sessionDigest, type Principal } from './auth.service.js';
import { isSameOrigin } from './request-policy.js';
import { readSessionCookie } from './session-cookie.js';

export interface Handshake {
  headers: Record<string, string | string[] | undefined>;
  auth: Record<string, unknown>;
}

/** What this module needs of a socket.io socket (only the gateway imports socket.io). */
export interface AuthenticatedSocket {
  handshake: Handshake;
  disconnect(close?: boolean): unknown;
  once(event: 'disconnect', listener: () => void): unknown;
}

const SWEEP_MS = 60_000;
const DISABLED: Principal = { user: 'anonymous', scope: 'admin', via: 'disabled' };

@Injectable()
export class SocketAuthenticator implements OnModuleDestroy {
  /** Sockets opened with a session, with the store's key of that session. */
  private readonly bySession = new Map<AuthenticatedSocket, string>();
  private readonly sweeper = setInterval(() => void this.sweep(), SWEEP_MS).unref();

  constructor(
    private readonly auth: AuthService,
    @Inject(CONFIG) private readonly config: HarrierConfig,
  ) {}

  onModuleDestroy(): void {
    clearInterval(this.sweeper);
  }

  /** socket.io middleware: lets the connection through only when `authenticate` does. */
  readonly middleware = (socket: AuthenticatedSocket, next: (error?: Error) => void): void => {
    this.admit(socket).then(
      (ok) => next(ok ? undefined : new Error('unauthorized')),
      () => next(new Error('unavailable')),
    );
  };

  /** Undefined when the connection must be refused. */
  async authenticate({ headers, auth }: Handshake): Promise<Principal | undefined> {
    if (!this.auth.enabled) return DISABLED;
    if (typeof auth['token'] === 'string') return this.auth.tokenPrincipal(auth['token']);
    const sessionId = readSessionCookie(typeof headers['cookie'] === 'string' ? headers['cookie'] : undefined);
    if (!sessionId || !isSameOrigin(headers, this.config.server.publicUrl)) return undefined;
    return this.auth.sessionPrincipal(sessionId);
  }

  @OnEvent(SESSION_ENDED)
  sessionEnded({ digest }: SessionEnded): void {
    for (const [socket, held] of this.bySession) if (held === digest) socket.disconnect(true);
  }

  private async admit(socket: AuthenticatedSocket): Promise<boolean> {
    const principal = await this.authenticate(socket.handshake);
    if (!principal) return false;
    if (principal.via === 'session' && principal.expiresAt !== undefined) {
      const cookie = socket.handshake.headers['cookie'];
      this.bySession.set(socket, sessionDigest(readSessionCookie(typeof cookie === 'string' ? cookie : '')!));
      const expiry = setTimeout(() => socket.disconnect(true), principal.expiresAt - Date.now()).unref();
      socket.once('disconnect', () => {
        clearTimeout(expiry);
        this.bySession.delete(socket);
      });
    }
    return true;
  }

  /** Sessions logged out on other replicas. */
  private async sweep(): Promise<void> {
    for (const digest of new Set(this.bySession.values())) {
      const alive = await this.auth.principalOf(digest).catch(() => true);
      if (!alive) this.sessionEnded(new SessionEnded(digest));
    }
  }
}
