/** Login helpers for the suites. */

/**
 * Suites about other things run without login (AUTH=disabled) unless they pass an auth setting (AUTH,
 * AUTH_USERS, AUTH_USERS_FILE): then the hub runs as in production.
 */
export function authDefault(env: Record<string, string>): Record<string, string> {
  return Object.keys(env).some((key) => key === 'AUTH' || key.startsWith('AUTH_')) ? {} : { AUTH: 'disabled' };
}
