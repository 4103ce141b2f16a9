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

/** Where to go after login: the `next` the 401 handler gave, only if it is a path on this site. */
export function nextPath(search: string): string {
  const next = new URLSearchParams(search).get('next') ?? '/';
  return next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : '/';
}
