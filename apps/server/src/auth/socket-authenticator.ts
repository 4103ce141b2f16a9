/**
 * socket.io connections are authenticated like the API: an API token in the handshake's `auth.token`, or the
 * session cookie from the dashboard's own origin (a cross-site page could otherwise open a socket with the
 * visitor's cookie). A rejected handshake gets a connect_error "unauthorized". A socket lives no longer than the
 * credential it was opened with: it is closed when its session expires, at once when its session is logged out or
 * its token revoked on this replica, and within SWEEP_MS when that happened on another.
 */
import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { CONFIG } from '../config/config.module.js';
import type { HarrierConfig } from '../config/config.schema.js';
import { SESSION_ENDED, SessionEnded, TOKEN_REVOKED, TokenRevoked } from './auth.events.js';
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
/** The longest delay setTimeout takes; a longer one fires at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;
const DISABLED: Principal = { user: 'anonymous', scope: 'admin', via: 'disabled' };

@Injectable()
export class SocketAuthenticator implements OnModuleDestroy {
  /** Sockets the middleware let in, with their credential, until they connect (`track`); weak: some never do. */
  private readonly admitted = new WeakMap<AuthenticatedSocket, { credential: Credential; expiresAt?: number }>();
  /** Connected sockets opened with a session or a token, with that credential. */
  private readonly credentials = new Map<AuthenticatedSocket, Credential>();
  private readonly sweeper = setInterval(() => void this.sweep(), SWEEP_MS).unref();
  private sweeping = false;

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

  /**
   * For the gateway, once a socket the middleware let in is connected: from now on it is closed with its credential.
   * (A socket that never connects cannot be closed, and would never be forgotten, so tracking starts here.)
   */
  track(socket: AuthenticatedSocket): void {
    const admitted = this.admitted.get(socket);
    if (admitted === undefined) return;
    this.admitted.delete(socket);
    const { credential, expiresAt } = admitted;
    this.credentials.set(socket, credential);
    // Past a timer's reach (SESSION_TTL over 24 days) the sweep closes it once the store says it expired.
    const lifetime = expiresAt === undefined ? Infinity : expiresAt - Date.now();
    const expiry = lifetime <= MAX_TIMER_MS ? setTimeout(() => socket.disconnect(true), lifetime).unref() : undefined;
    socket.once('disconnect', () => {
      clearTimeout(expiry);
      this.credentials.delete(socket);
    });
    // Logged out or revoked since the handshake read the store: closed now rather than at the next sweep.
    void this.check(credential);
  }

  @OnEvent(SESSION_ENDED)
  sessionEnded({ digest }: SessionEnded): void {
    this.close(`session:${digest}`);
  }

  @OnEvent(TOKEN_REVOKED)
  tokenRevoked({ id }: TokenRevoked): void {
    this.close(`token:${id}`);
  }

  private close(credential: Credential): void {
    for (const [socket, held] of this.credentials) if (held === credential) socket.disconnect(true);
  }

  private async admit(socket: AuthenticatedSocket): Promise<boolean> {
    const principal = await this.authenticate(socket.handshake);
    if (!principal) return false;
    const credential = credentialOf(principal, socket.handshake);
    if (credential !== undefined) this.admitted.set(socket, { credential, expiresAt: principal.expiresAt });
    return true;
  }

  /** Closes the sockets of a credential the store no longer holds; a store outage closes nothing. */
  private async check(credential: Credential): Promise<void> {
    const [kind, key] = splitCredential(credential);
    const inForce = kind === 'session' ? this.auth.principalOf(key).then(Boolean) : this.auth.tokenInForce(key);
    if (!(await inForce.catch(() => true))) this.close(credential);
  }

  /** Sessions logged out and tokens revoked on other replicas; one sweep at a time (the store may hang). */
  private async sweep(): Promise<void> {
    if (this.sweeping) return;
    this.sweeping = true;
    try {
      await Promise.all([...new Set(this.credentials.values())].map((credential) => this.check(credential)));
    } finally {
      this.sweeping = false;
    }
  }
}

/** `session:<digest>` (the store's key of the session) or `token:<id>`. */
type Credential = `session:${string}` | `token:${string}`;

function credentialOf(principal: Principal, { headers }: Handshake): Credential | undefined {
  if (principal.via === 'token' && principal.tokenId !== undefined) return `token:${principal.tokenId}`;
  if (principal.via !== 'session') return undefined;
  const cookie = headers['cookie'];
  return `session:${sessionDigest(readSessionCookie(typeof cookie === 'string' ? cookie : '')!)}`;
}

function splitCredential(credential: Credential): ['session' | 'token', string] {
  const colon = credential.indexOf(':');
  return [credential.slice(0, colon) as 'session' | 'token', credential.slice(colon + 1)];
}
