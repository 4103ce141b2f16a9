/** Hostile credentials: login bodies, bearer tokens and cookies never get a 5xx, and never get in. */
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startHub, type RunningHub } from '../support/app.js';
import { CSRF, TEST_USER } from '../support/auth.js';
import { body, RUNS } from './payloads.js';

let hub: RunningHub;
beforeAll(async () => {
  // A high failure limit: this suite is about answers, not the rate limit (auth.test.ts covers that).
  hub = await startHub({ AUTH_USERS: TEST_USER.htpasswd, LOGIN_MAX_FAILURES: '1000' });
});
afterAll(async () => {
  await hub.close();
});

const headerValue = fc.oneof(
  fc.string({ maxLength: 200 }).filter((v) => /^[\t\x20-\x7e]*$/.test(v)),
  fc.constantFrom('Bearer ', 'Bearer hrr_', 'Bearer hrr_000000000000_', 'Basic YWRtaW46YWRtaW4='),
  fc.stringMatching(/^Bearer hrr_[0-9a-f]{12}_[\w-]{43}$/),
);

it('answers hostile login bodies with 400, 401 or 403, never a session', async () => {
  await fc.assert(
    fc.asyncProperty(body({ username: TEST_USER.name, password: 'guess' }), fc.boolean(), async (payload, csrf) => {
      const res = await fetch(`${hub.url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(csrf ? CSRF : {}) },
        body: payload,
      });
      await res.arrayBuffer();
      expect([400, 401, 403, 413]).toContain(res.status);
      expect(res.headers.get('set-cookie')).toBeNull();
    }),
    { numRuns: RUNS },
  );
});

it('answers hostile tokens and cookies with 401, never a 5xx', async () => {
  await fc.assert(
    fc.asyncProperty(headerValue, headerValue, async (authorization, cookie) => {
      const res = await fetch(`${hub.url}/api/v1/alerts`, {
        headers: { authorization, cookie: `harrier_session=${cookie.replace(/[;\s]/g, '')}` },
      });
      await res.arrayBuffer();
      expect(res.status).toBe(401);
    }),
    { numRuns: RUNS },
  );
});
