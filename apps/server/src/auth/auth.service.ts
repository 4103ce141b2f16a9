/**
 * Who is calling: dashboard sessions (login with a configured or generated user), API tokens with a read or
 * admin scope, or nobody. Every secret is kept only as a digest (auth.store.ts); every lookup goes through the
 * AuthStore port, so replicas share sessions when it is Redis.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { CONFIG } from '../config/config.module.js';
import { ConfigError, type HarrierConfig } from '../config/config.schema.js';
import { SESSION_ENDED, SessionEnded, TOKEN_REVOKED, TokenRevoked } from './auth.events.js';
import { AuthUnavailableError, LoginFailedError, TooManyLoginAttemptsError, UnknownTokenError } from './auth.errors.js';
import { AUTH_STORE, type AuthStore, type Scope, type Session, type StoredToken } from './auth.store.js';
import { hashPassword, parseUsers, verifyPassword } from './users.js';

export interface Principal {
  user: string;
  scope: Scope;
  via: 'session' | 'token' | 'disabled';
  /** When a session ends (ms since the epoch). */
  expiresAt?: number;
  /** The API token's public id, for `via: 'token'`. */
  tokenId?: string;
}

/** A token as the API lists it: never its secret or digest. */
export type TokenInfo = Omit<StoredToken, 'secretDigest'>;

export const GENERATED_ADMIN = 'admin';
const TOKEN_PREFIX = 'hrr_';
const TOKEN_FORMAT = /^hrr_([0-9a-f]{12})_([\w-]{43})$/;

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** How the store keys a session: never by its id, which only the browser holds. */
export const sessionDigest = sha256;

@Injectable()
export class AuthService implements OnModuleInit {
  private readonly logger = new Logger('Auth');
  private users = new Map<string, string>();

  constructor(
    @Inject(CONFIG) private readonly config: HarrierConfig,
    @Inject(AUTH_STORE) private readonly store: AuthStore,
    @Inject(EventEmitter2) private readonly events: EventEmitter2,
  ) {}

  get enabled(): boolean {
    return this.config.auth.enabled;
  }

  async onModuleInit(): Promise<void> {
    const { auth } = this.config;
    if (!auth.enabled) {
      this.logger.warn(
        'AUTH=disabled: the dashboard and the API (alerts, outputs, rules reload, dead-letter redrive) are open to anyone who can reach this port. Use it only behind your own authentication.',
      );
      return;
    }
    const parsed = parseUsers(auth.users, 'AUTH_USERS');
    const issues = [...parsed.issues];
    this.users = parsed.users;
    if (auth.usersFile) {
      const text = await readFile(auth.usersFile, 'utf8').catch((error: Error) => {
        issues.push(`AUTH_USERS_FILE: cannot read ${auth.usersFile}: ${error.message}`);
        return '';
      });
      const fromFile = parseUsers(text, auth.usersFile);
      issues.push(...fromFile.issues);
      for (const [name, hash] of fromFile.users) {
        if (this.users.has(name)) issues.push(`${auth.usersFile}: user ${name} is also in AUTH_USERS`);
        else this.users.set(name, hash);
      }
    }
    if (issues.length > 0) throw new ConfigError(`Invalid configuration: ${issues.join('; ')}`);
    if (this.users.size > 0) {
      this.logger.log(`Login required; ${this.users.size} configured user(s)`);
      return;
    }
    await this.useGeneratedAdmin();
  }

  /** No user configured: one admin whose random password is printed once, at the start that created it. */
  private async useGeneratedAdmin(): Promise<void> {
    const password = randomBytes(18).toString('base64url');
    const hash = await hashPassword(password);
    const inForce = await this.guard(() => this.store.initAdminHash(hash));
    this.users.set(GENERATED_ADMIN, inForce);
    if (inForce !== hash) {
      this.logger.log(
        `Login required; user "${GENERATED_ADMIN}" with the password generated at the first start (set AUTH_USERS to choose users)`,
      );
      return;
    }
    const persistent = this.config.store.kind === 'redis';
    this.logger.warn(
      `No users configured (AUTH_USERS / AUTH_USERS_FILE): generated a password for user "${GENERATED_ADMIN}": ${password} — it is shown only this once${
        persistent ? ' (its hash is kept in Redis)' : ' and a new one is generated at every start without Redis'
      }.`,
    );
  }

  /** Checks name and password, rate-limited per client address and per name; returns the new session's id. */
  async login(name: string, password: string, clientIp: string): Promise<{ sessionId: string; session: Session }> {
    const { maxFailures, windowMs } = this.config.auth.login;
    const keys = [`ip:${clientIp}`, `user:${name.toLowerCase().slice(0, 64)}`];
    const counts = await this.guard(() => Promise.all(keys.map((key) => this.store.failures(key))));
    const blocked = counts.filter((c) => c.count >= maxFailures);
    if (blocked.length > 0) throw new TooManyLoginAttemptsError(Math.max(...blocked.map((c) => c.retryAfterMs)));

    if (!(await verifyPassword(password, this.users.get(name)))) {
      await this.guard(() => Promise.all(keys.map((key) => this.store.recordFailure(key, windowMs))));
      this.logger.warn(`Failed login for user ${JSON.stringify(name.slice(0, 64))} from ${clientIp}`);
      throw new LoginFailedError();
    }
    const sessionId = randomBytes(32).toString('base64url');
    const now = Date.now();
    const session: Session = {
      user: name,
      scope: 'admin',
      createdAt: now,
      expiresAt: now + this.config.auth.sessionTtlMs,
    };
    await this.guard(() => this.store.saveSession(sha256(sessionId), session));
    this.logger.log(`User ${name} logged in from ${clientIp}`);
    return { sessionId, session };
  }

  async logout(sessionId: string | undefined): Promise<void> {
    if (!sessionId) return;
    const digest = sha256(sessionId);
    await this.guard(() => this.store.deleteSession(digest));
    this.events.emit(SESSION_ENDED, new SessionEnded(digest));
  }

  async sessionPrincipal(sessionId: string): Promise<Principal | undefined> {
    return this.principalOf(sha256(sessionId));
  }

  /** The session's principal by the store's key; undefined once it was logged out or expired. */
  async principalOf(digest: string): Promise<Principal | undefined> {
    const session = await this.guard(() => this.store.getSession(digest));
    return session && { user: session.user, scope: session.scope, via: 'session', expiresAt: session.expiresAt };
  }

  async tokenPrincipal(presented: string): Promise<Principal | undefined> {
    const match = TOKEN_FORMAT.exec(presented);
    if (!match) return undefined;
    const token = await this.guard(() => this.store.getToken(match[1]!));
    if (!token) return undefined;
    const ok = timingSafeEqual(Buffer.from(sha256(match[2]!), 'hex'), Buffer.from(token.secretDigest, 'hex'));
    return ok ? { user: `token:${token.name}`, scope: token.scope, via: 'token', tokenId: token.id } : undefined;
  }

  /** Whether the token of this id is still in force (not revoked). */
  async tokenInForce(id: string): Promise<boolean> {
    return (await this.guard(() => this.store.getToken(id))) !== undefined;
  }

  /** The token's secret is in the answer only this once. */
  async createToken(name: string, scope: Scope, createdBy: string): Promise<{ token: string; info: TokenInfo }> {
    const id = randomBytes(6).toString('hex');
    const secret = randomBytes(32).toString('base64url');
    const stored: StoredToken = { id, name, scope, secretDigest: sha256(secret), createdAt: Date.now(), createdBy };
    await this.guard(() => this.store.saveToken(stored));
    this.logger.log(`${createdBy} created API token ${id} (${JSON.stringify(name)}, ${scope})`);
    return { token: `${TOKEN_PREFIX}${id}_${secret}`, info: withoutDigest(stored) };
  }

  async listTokens(): Promise<TokenInfo[]> {
    return (await this.guard(() => this.store.listTokens())).map(withoutDigest);
  }

  async revokeToken(id: string, by: string): Promise<void> {
    if (!(await this.guard(() => this.store.deleteToken(id)))) throw new UnknownTokenError(id);
    this.logger.log(`${by} revoked API token ${id}`);
    this.events.emit(TOKEN_REVOKED, new TokenRevoked(id));
  }

  /** Store failures (Redis down) become AuthUnavailableError: 503, never a login granted or a 500. */
  private async guard<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      throw new AuthUnavailableError(error);
    }
  }
}

function withoutDigest({ secretDigest: _digest, ...info }: StoredToken): TokenInfo {
  return info;
}
