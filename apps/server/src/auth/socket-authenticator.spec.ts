/**
 * A socket lives no longer than its credential, also when the logout or revocation happened on another replica:
 * two replicas (each its own AuthService, events and authenticator) share one store, as they share Redis. The
 * same replica closes sockets at once (test/integration/auth.test.ts, over socket.io); here the other one's sweep.
 */
import { EventEmitter2 } from '@nestjs/event-emitter';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { loadConfig } from '../config/config.schema.js';
import { AuthService } from './auth.service.js';
import { MemoryAuthStore } from './memory-auth.store.js';
import { SESSION_COOKIE } from './session-cookie.js';
import { SocketAuthenticator, type AuthenticatedSocket } from './socket-authenticator.js';
import { hashPassword } from './users.js';

const SWEEP_MS = 60_000;
const PASSWORD = 'correct horse battery staple';

let users: string;
let store: MemoryAuthStore;
beforeEach(async () => {
  users ??= `alice:${await hashPassword(PASSWORD)}`;
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
  store = new MemoryAuthStore(() => Date.now());
});
afterEach(() => {
  vi.useRealTimers();
});

async function replica(env: Record<string, string> = {}) {
  const config = loadConfig({ AUTH_USERS: users, ...env });
  const auth = new AuthService(config, store, new EventEmitter2());
  await auth.onModuleInit();
  const sockets = new SocketAuthenticator(auth, config);
  return { auth, sockets };
}

/** What the authenticator needs of a socket.io socket; `closed` tells whether the hub closed it. */
function socket(handshake: AuthenticatedSocket['handshake']) {
  const onDisconnect: (() => void)[] = [];
  const s = {
    handshake,
    closed: false,
    disconnect() {
      s.closed = true;
      onDisconnect.forEach((listener) => listener());
    },
    once(_event: 'disconnect', listener: () => void) {
      onDisconnect.push(listener);
    },
  };
  return s;
}

/** Runs the socket.io middleware; resolves with its refusal, or undefined when it let the socket in. */
function handshake(sockets: SocketAuthenticator, s: AuthenticatedSocket): Promise<string | undefined> {
  return new Promise((resolve) => sockets.middleware(s, (error) => resolve(error?.message)));
}

/** The handshake, then, when it let the socket in, its connection (as the gateway reports it). */
async function admit(sockets: SocketAuthenticator, s: AuthenticatedSocket): Promise<string | undefined> {
  const refused = await handshake(sockets, s);
  if (refused === undefined) sockets.track(s);
  return refused;
}

const withSession = (sessionId: string) => socket({ headers: { cookie: `${SESSION_COOKIE}=${sessionId}` }, auth: {} });
const withToken = (token: string) => socket({ headers: {}, auth: { token } });

it('closes a socket within a sweep when its session is logged out on another replica', async () => {
  const a = await replica();
  const b = await replica();
  const { sessionId } = await a.auth.login('alice', PASSWORD, '10.0.0.1');
  const other = await a.auth.login('alice', PASSWORD, '10.0.0.1');
  const onB = withSession(sessionId);
  const stays = withSession(other.sessionId);
  expect(await admit(b.sockets, onB)).toBeUndefined();
  expect(await admit(b.sockets, stays)).toBeUndefined();
  await a.auth.logout(sessionId);
  expect(onB.closed).toBe(false);
  await vi.advanceTimersByTimeAsync(SWEEP_MS);
  expect(onB.closed).toBe(true);
  expect(stays.closed).toBe(false);
  b.sockets.onModuleDestroy();
  a.sockets.onModuleDestroy();
});

it('closes a socket within a sweep when its token is revoked on another replica', async () => {
  const a = await replica();
  const b = await replica();
  const revoked = await a.auth.createToken('ci', 'read', 'alice');
  const kept = await a.auth.createToken('ci', 'read', 'alice');
  const onB = withToken(revoked.token);
  const stays = withToken(kept.token);
  expect(await admit(b.sockets, onB)).toBeUndefined();
  expect(await admit(b.sockets, stays)).toBeUndefined();
  await a.auth.revokeToken(revoked.info.id, 'alice');
  await vi.advanceTimersByTimeAsync(SWEEP_MS);
  expect(onB.closed).toBe(true);
  expect(stays.closed).toBe(false);
  expect(await admit(b.sockets, withToken(revoked.token))).toBe('unauthorized');
  b.sockets.onModuleDestroy();
  a.sockets.onModuleDestroy();
});

it('closes at once a socket whose token was revoked elsewhere between its handshake and its connection', async () => {
  const a = await replica();
  const b = await replica();
  const { token, info } = await a.auth.createToken('ci', 'read', 'alice');
  const s = withToken(token);
  expect(await handshake(b.sockets, s)).toBeUndefined();
  await a.auth.revokeToken(info.id, 'alice');
  b.sockets.track(s);
  await vi.advanceTimersByTimeAsync(0);
  expect(s.closed).toBe(true);
  b.sockets.onModuleDestroy();
  a.sockets.onModuleDestroy();
});

it('keeps a socket of a session longer than a timer can wait (SESSION_TTL=30d) open until the session ends', async () => {
  const { auth, sockets } = await replica({ SESSION_TTL: '30d' });
  const { sessionId } = await auth.login('alice', PASSWORD, '10.0.0.1');
  const s = withSession(sessionId);
  expect(await admit(sockets, s)).toBeUndefined();
  await vi.advanceTimersByTimeAsync(SWEEP_MS);
  expect(s.closed).toBe(false);
  vi.setSystemTime(Date.now() + 30 * 86_400_000);
  await vi.advanceTimersByTimeAsync(SWEEP_MS);
  expect(s.closed).toBe(true);
  sockets.onModuleDestroy();
});
