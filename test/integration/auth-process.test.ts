/**
 * The built hub with Redis and no configured user: the generated admin password is printed once, only its hash is
 * kept, and a restarted hub (or another replica) accepts the same password, sessions and tokens. Secrets never
 * reach the logs otherwise.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CSRF, login } from '../support/auth.js';
import { startHubProcess } from '../support/hub.js';
import { startRedis, type TestRedis } from '../support/redis.js';

let redis: TestRedis;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis.stop();
});

const GENERATED = /generated a password for user \\?"admin\\?": (\S+) —/;

it('generates the admin password once and shares login state through Redis', async () => {
  const env = { AUTH: 'enabled', REDIS_URL: redis.url, REDIS_KEY_PREFIX: redis.prefix, LOG_LEVEL: 'debug' };
  const first = await startHubProcess({ env });
  let firstLogs: string;
  let password: string;
  let cookie: string;
  let token: string;
  try {
    await expect.poll(() => GENERATED.test(first.logs())).toBe(true);
    password = GENERATED.exec(first.logs())![1]!;
    expect(password).toMatch(/^[\w-]{24}$/);

    expect(
      (
        await fetch(`${first.url}/api/v1/auth/login`, {
          method: 'POST',
          headers: CSRF,
          body: JSON.stringify({ username: 'admin', password: 'not-the-password-123' }),
        })
      ).status,
    ).toBe(401);
    cookie = await login(first.url, 'admin', password);
    const created = await fetch(`${first.url}/api/v1/auth/tokens`, {
      method: 'POST',
      headers: { cookie, ...CSRF },
      body: JSON.stringify({ name: 'automation', scope: 'read' }),
    });
    token = ((await created.json()) as { token: string }).token;
    firstLogs = first.logs();
  } finally {
    await first.stop();
  }

  const second = await startHubProcess({ env });
  try {
    expect(second.logs()).not.toMatch(GENERATED);
    expect(second.logs()).toContain('the password generated at the first start');
    // The session made on the first hub, the token and the password all work on the second.
    expect((await fetch(`${second.url}/api/v1/alerts`, { headers: { cookie } })).status).toBe(200);
    expect((await fetch(`${second.url}/api/v1/alerts`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(
      200,
    );
    await login(second.url, 'admin', password);

    const sessionId = cookie.split('=')[1]!;
    for (const logs of [firstLogs, second.logs()]) {
      expect(logs).not.toContain(sessionId);
      expect(logs).not.toContain(token.slice(17));
      expect(logs).not.toContain('not-the-password-123');
    }
    expect(firstLogs.split(password).length - 1).toBe(1);
    expect(second.logs()).not.toContain(password);
  } finally {
    await second.stop();
  }
});
