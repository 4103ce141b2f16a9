/** Login, logout and who is logged in; the session itself is an HttpOnly cookie the page never sees. */
import { apiGet, apiPost } from '../../lib/api-client';

export interface SessionInfo {
  user: string;
  scope: 'read' | 'admin';
  authEnabled: boolean;
}

export const sessionQueryKey = ['auth', 'session'] as const;

export const fetchSession = (signal?: AbortSignal) =>
  apiGet<SessionInfo>('/api/v1/auth/session', signal ? { signal } : {});

export const login = (username: string, password: string) =>
  apiPost<{ user: string; expiresAt: number }>('/api/v1/auth/login', { username, password });

export const logout = () => apiPost('/api/v1/auth/logout');

const SITE = 'http://this.site.invalid';

/**
 * Where to go after login: the `next` the 401 handler gave, only if it is a path on this site. It is resolved as
 * the browser would (which drops tabs and line breaks, so `/<TAB>/evil.example` is `//evil.example`) and kept only
 * when it stays on the site.
 */
export function nextPath(search: string): string {
  const next = new URLSearchParams(search).get('next') ?? '/';
  if (!next.startsWith('/')) return '/';
  const url = new URL(next, SITE);
  const path = `${url.pathname}${url.search}${url.hash}`;
  // Dot segments can leave a path that starts like another site's address (`/.//evil.example` → `//evil.example`).
  return url.origin === SITE && !path.startsWith('//') && !path.startsWith('/\\') ? path : '/';
}
