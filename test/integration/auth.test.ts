/** Login, sessions, CSRF, API tokens and socket authentication against the hub built from source. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io } from 'socket.io-client';
import { falcoAlert } from '../support/alerts.js';
import { startHub, type RunningHub } from '../support/app.js';
import { CSRF, login, TEST_USER } from '../support/auth.js';

let hub: RunningHub;
beforeAll(async () => {
  hub = await startHub({ AUTH_USERS: TEST_USER.htpasswd });
});
afterAll(async () => {
  await hub.close();
});

const api = (path: string, init: RequestInit = {}) => fetch(`${hub.url}${path}`, init);
const postLogin = (body: unknown, headers: Record<string, string> = CSRF) =>
  api('/api/v1/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

async function createToken(cookie: string, scope: string) {
  const res = await api('/api/v1/auth/tokens', {
    method: 'POST',
    headers: { cookie, ...CSRF, 'content-type': 'application/json' },
    body: JSON.stringify({ name: `ci ${scope}`, scope }),
  });
  expect(res.status).toBe(201);
  return (await res.json()) as { id: string; token: string; scope: string; name: string };
}

describe('without credentials', () => {
  it('refuses the API and every state-changing endpoint with 401', async () => {
    for (const [method, path] of [
      ['GET', '/api/v1/alerts'],
      ['GET', '/api/v1/outputs'],
      ['GET', '/api/v1/rules'],
      ['GET', '/api/v1/auth/session'],
      ['GET', '/api/v1/auth/tokens'],
      ['POST', '/test'],
      ['POST', '/api/v1/rules/reload'],
      ['POST', '/api/v1/outputs/webhook/dead-letters/redrive'],
    ] as const) {
      const res = await api(path, { method });
      expect({ method, path, status: res.status }).toEqual({ method, path, status: 401 });
    }
  });

  it('keeps ingest (on INGEST_TOKENS), /ping, /healthz and /metrics open', async () => {
    expect((await api('/ping')).status).toBe(200);
    expect((await api('/healthz')).status).toBe(200);
    expect((await api('/metrics')).status).toBe(200);
    const posted = await api('/', { method: 'POST', body: JSON.stringify(falcoAlert({ rule: 'open ingest' })) });
    expect(posted.status).toBe(200);
  });
});

describe('login and logout', () => {
  it('refuses a wrong password or an unknown user alike, without a cookie', async () => {
    for (const body of [
      { username: TEST_USER.name, password: 'wrong password' },
      { username: 'mallory', password: TEST_USER.password },
    ]) {
      const res = await postLogin(body);
      expect(res.status).toBe(401);
      expect(res.headers.get('set-cookie')).toBeNull();
      expect(((await res.json()) as { message: string }).message).toBe('Wrong user name or password');
    }
  });

  it('names the bad field of a malformed login', async () => {
    const res = await postLogin({ username: TEST_USER.name });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { issues: { field: string }[] }).issues.map((i) => i.field)).toEqual(['password']);
  });

  it('sets an HttpOnly SameSite=Lax session cookie, Secure only over TLS', async () => {
    const plain = await postLogin({ username: TEST_USER.name, password: TEST_USER.password });
    expect(plain.status).toBe(200);
    const cookie = plain.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^harrier_session=[\w-]{43}; Path=\/; Max-Age=43200; HttpOnly; SameSite=Lax$/);
    const proxied = await postLogin(
      { username: TEST_USER.name, password: TEST_USER.password },
      { ...CSRF, 'x-forwarded-proto': 'https' },
    );
    expect(proxied.headers.get('set-cookie')).toMatch(/; HttpOnly; SameSite=Lax; Secure$/);
  });

  it('opens the API with the cookie and closes it again at logout', async () => {
    const cookie = await login(hub.url);
    const session = await api('/api/v1/auth/session', { headers: { cookie } });
    expect(await session.json()).toEqual({
      user: 'alice',
      scope: 'admin',
      via: 'session',
      expiresAt: expect.any(Number) as number,
      authEnabled: true,
    });
    expect((await api('/api/v1/alerts', { headers: { cookie } })).status).toBe(200);

    const out = await api('/api/v1/auth/logout', { method: 'POST', headers: { cookie, ...CSRF } });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/^harrier_session=; Path=\/; Max-Age=0; HttpOnly/);
    expect((await api('/api/v1/alerts', { headers: { cookie } })).status).toBe(401);
  });
});

describe('CSRF', () => {
  it('refuses cookie-authenticated changes without the custom header or from another origin', async () => {
    const cookie = await login(hub.url);
    const reload = (headers: Record<string, string>) =>
      api('/api/v1/rules/reload', { method: 'POST', headers: { cookie, ...headers } });
    expect((await reload({})).status).toBe(403);
    expect((await reload({ ...CSRF, origin: 'https://evil.example' })).status).toBe(403);
    expect((await reload({ ...CSRF, origin: 'null' })).status).toBe(403);
    expect((await reload({ ...CSRF, origin: hub.url })).status).toBe(200);
    expect((await reload(CSRF)).status).toBe(200);
    // Reads need no header: a cross-site page cannot read the answer anyway.
    expect((await api('/api/v1/rules', { headers: { cookie } })).status).toBe(200);
  });

  it('refuses a forged login (no header, as a cross-site form would send it)', async () => {
    const res = await postLogin({ username: TEST_USER.name, password: TEST_USER.password }, {});
    expect(res.status).toBe(403);
    expect(res.headers.get('set-cookie')).toBeNull();
  });
});

describe('API tokens', () => {
  it('creates, lists without secrets, scopes and revokes tokens', async () => {
    const cookie = await login(hub.url);
    const read = await createToken(cookie, 'read');
    const admin = await createToken(cookie, 'admin');
    expect(read.token).toMatch(/^hrr_[0-9a-f]{12}_[\w-]{43}$/);

    const listed = await api('/api/v1/auth/tokens', { headers: { cookie } });
    const text = await listed.text();
    expect(text).not.toContain(read.token.slice(17));
    expect(text).not.toContain('secretDigest');
    expect((JSON.parse(text) as { id: string; scope: string }[]).map((t) => [t.id, t.scope])).toEqual(
      expect.arrayContaining([
        [read.id, 'read'],
        [admin.id, 'admin'],
      ]),
    );

    const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
    expect((await api('/api/v1/alerts', { headers: bearer(read.token) })).status).toBe(200);
    expect((await api('/api/v1/rules/reload', { method: 'POST', headers: bearer(read.token) })).status).toBe(403);
    expect((await api('/api/v1/auth/tokens', { headers: bearer(read.token) })).status).toBe(403);
    // A token is not an ambient credential: no CSRF header needed.
    expect((await api('/api/v1/rules/reload', { method: 'POST', headers: bearer(admin.token) })).status).toBe(200);
    expect((await api('/api/v1/alerts', { headers: bearer(`${read.token.slice(0, -1)}x`) })).status).toBe(401);
    expect((await api('/api/v1/alerts', { headers: bearer('hrr_nonsense') })).status).toBe(401);

    const revoke = await api(`/api/v1/auth/tokens/${read.id}`, { method: 'DELETE', headers: { cookie, ...CSRF } });
    expect(revoke.status).toBe(204);
    expect((await api('/api/v1/alerts', { headers: bearer(read.token) })).status).toBe(401);
    const again = await api(`/api/v1/auth/tokens/${read.id}`, { method: 'DELETE', headers: { cookie, ...CSRF } });
    expect(again.status).toBe(404);
  });

  it('names the bad field of a token request', async () => {
    const cookie = await login(hub.url);
    const res = await api('/api/v1/auth/tokens', {
      method: 'POST',
      headers: { cookie, ...CSRF },
      body: JSON.stringify({ name: 'x', scope: 'root' }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { issues: { field: string }[] }).issues.map((i) => i.field)).toEqual(['scope']);
  });
});

describe('socket.io', () => {
  function connect(options: { cookie?: string; origin?: string; token?: string }) {
    const socket = io(hub.url, {
      transports: ['websocket'],
      reconnection: false,
      extraHeaders: {
        ...(options.cookie ? { cookie: options.cookie } : {}),
        ...(options.origin ? { origin: options.origin } : {}),
      },
      ...(options.token ? { auth: { token: options.token } } : {}),
    });
    return new Promise<string>((resolve) => {
      socket.on('connect', () => {
        socket.close();
        resolve('connected');
      });
      socket.on('connect_error', (error) => {
        socket.close();
        resolve(error.message);
      });
    });
  }

  it('refuses a connection without credentials, a foreign origin or a bad token', async () => {
    const cookie = await login(hub.url);
    expect(await connect({})).toBe('unauthorized');
    expect(await connect({ cookie, origin: 'https://evil.example' })).toBe('unauthorized');
    expect(await connect({ token: 'hrr_0123456789ab_notavalidtokennotavalidtokennotavalidtoken0' })).toBe(
      'unauthorized',
    );
  });

  it('accepts the session cookie from the same origin and an API token', async () => {
    const cookie = await login(hub.url);
    expect(await connect({ cookie, origin: hub.url })).toBe('connected');
    const created = await api('/api/v1/auth/tokens', {
      method: 'POST',
      headers: { cookie, ...CSRF },
      body: JSON.stringify({ name: 'socket', scope: 'read' }),
    });
    const { token } = (await created.json()) as { token: string };
    expect(await connect({ token })).toBe('connected');
  });
});

describe('socket.io sessions', () => {
  /** Connects with the cookie; resolves with a function that waits for the hub to close the socket. */
  async function connected(url: string, cookie: string, auth?: { token: string }) {
    const socket = io(url, {
      transports: ['websocket'],
      reconnection: false,
      extraHeaders: { cookie, origin: url },
      ...(auth ? { auth } : {}),
    });
    const closed = new Promise<string>((resolve) => socket.on('disconnect', (reason) => resolve(reason)));
    await new Promise<void>((resolve, reject) => {
      socket.on('connect', () => resolve());
      socket.on('connect_error', reject);
    });
    return { socket, closed };
  }

  it("closes a session's sockets when it logs out", async () => {
    const cookie = await login(hub.url);
    const other = await connected(hub.url, await login(hub.url));
    const { closed } = await connected(hub.url, cookie);
    await api('/api/v1/auth/logout', { method: 'POST', headers: { cookie, ...CSRF } });
    expect(await closed).toBe('io server disconnect');
    // Another credential's socket stays: it still answers after the closes were sent.
    expect(await other.socket.timeout(5_000).emitWithAck('subscribe', {})).toEqual({ ok: true });
    other.socket.close();
  });

  it("closes a token's sockets when it is revoked", async () => {
    const cookie = await login(hub.url);
    const revoked = await createToken(cookie, 'read');
    const kept = await createToken(cookie, 'read');
    const withToken = (token: string) => connected(hub.url, '', { token });
    const { closed } = await withToken(revoked.token);
    const other = await withToken(kept.token);
    const res = await api(`/api/v1/auth/tokens/${revoked.id}`, { method: 'DELETE', headers: { cookie, ...CSRF } });
    expect(res.status).toBe(204);
    expect(await closed).toBe('io server disconnect');
    // Another credential's socket stays: it still answers after the closes were sent.
    expect(await other.socket.timeout(5_000).emitWithAck('subscribe', {})).toEqual({ ok: true });
    other.socket.close();
    await expect(withToken(revoked.token)).rejects.toThrow('unauthorized');
  });

  it("closes a session's sockets when it expires", async () => {
    const short = await startHub({ AUTH_USERS: TEST_USER.htpasswd, SESSION_TTL: '2s' });
    try {
      const started = Date.now();
      const { closed } = await connected(short.url, await login(short.url));
      expect(await closed).toBe('io server disconnect');
      expect(Date.now() - started).toBeGreaterThan(1_500);
    } finally {
      await short.close();
    }
  });
});

describe('login rate limit', () => {
  let limited: RunningHub;
  beforeAll(async () => {
    limited = await startHub({ AUTH_USERS: TEST_USER.htpasswd, LOGIN_MAX_FAILURES: '3', LOGIN_FAILURE_WINDOW: '1m' });
  });
  afterAll(async () => {
    await limited.close();
  });

  it('answers 429 with Retry-After after too many failures, even to the right password', async () => {
    const attempt = (password: string) =>
      fetch(`${limited.url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...CSRF },
        body: JSON.stringify({ username: TEST_USER.name, password }),
      });
    for (let i = 0; i < 3; i++) expect((await attempt(`guess ${i}`)).status).toBe(401);
    const blocked = await attempt(TEST_USER.password);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(50);
    expect(Number(blocked.headers.get('retry-after'))).toBeLessThanOrEqual(60);
  });
});

describe('configuration', () => {
  it('refuses a user whose password is not a bcrypt hash, without echoing it', async () => {
    const error = await startHub({ AUTH_USERS: 'bob:plaintext-password' }).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error?.message).toMatch(/AUTH_USERS entry 1 \(bob\): the password must be a bcrypt hash/);
    expect(error?.message).not.toContain('plaintext-password');
  });
});
