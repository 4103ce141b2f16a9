/** Login helpers for the suites. */

/**
 * Suites about other things run without login (AUTH=disabled) unless they pass an auth setting (AUTH,
 * AUTH_USERS, AUTH_USERS_FILE): then the hub runs as in production.
 */
export function authDefault(env: Record<string, string>): Record<string, string> {
  return Object.keys(env).some((key) => key === 'AUTH' || key.startsWith('AUTH_')) ? {} : { AUTH: 'disabled' };
}

/** A user for AUTH_USERS: bcrypt at the lowest cost, so logins in tests are quick. */
export const TEST_USER = {
  name: 'alice',
  password: 'correct horse battery staple',
  htpasswd: 'alice:$2b$04$r1edOSh3isBp/TFMXIDVEuqPYYngzD9dygRv.e1qZ1V9eW0VqYh96',
};

/** The header the dashboard sends with every change made with its session cookie. */
export const CSRF = { 'x-harrier-csrf': '1' };

/** Logs in through the API; returns the `Cookie` header value to send. Throws unless the hub answers 200. */
export async function login(hubUrl: string, name = TEST_USER.name, password = TEST_USER.password): Promise<string> {
  const response = await fetch(`${hubUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...CSRF },
    body: JSON.stringify({ username: name, password }),
  });
  if (response.status !== 200) throw new Error(`login answered ${response.status}: ${await response.text()}`);
  const cookie = response.headers.get('set-cookie') ?? '';
  return cookie.split(';')[0]!;
}
