/**
 * What each route needs, in one table, so a route added anywhere is closed by default: everything needs a
 * logged-in user or an API token except the few open routes below. Reads (GET/HEAD) need the `read` scope,
 * everything else `admin`; managing tokens needs `admin` even to list them.
 */
import type { Scope } from './auth.store.js';

/** The custom header the dashboard sends with every cookie-authenticated change (see isCsrfSafe). */
export const CSRF_HEADER = 'x-harrier-csrf';

/** Open routes, as `METHOD /route`; `*` for any method. */
const OPEN = new Set([
  '* /ping',
  'GET /healthz',
  'GET /metrics',
  // Ingest has its own optional bearer tokens (INGEST_TOKENS, IngestTokenGuard): Falco cannot log in.
  'POST /',
  'POST /k8s-audit',
  // falcosidekick-ui's ingest, for falcosidekick's webui output, and falcosidekick's catch-all (IngestController).
  'POST /api/v1',
  'POST /api/v1/events/add',
  'POST /*',
  'POST /api/v1/auth/login',
  'POST /api/v1/auth/logout',
]);

/** Open, but a forged cross-site login or logout is refused all the same. */
const SESSION_ROUTES = new Set(['POST /api/v1/auth/login', 'POST /api/v1/auth/logout']);

export type RoutePolicy = { open: true; csrf: boolean } | { open: false; scope: Scope };

export function routePolicy(method: string, route: string): RoutePolicy {
  const key = `${method} ${route}`;
  if (OPEN.has(key) || OPEN.has(`* ${route}`) || (method === 'HEAD' && OPEN.has(`GET ${route}`)))
    return { open: true, csrf: SESSION_ROUTES.has(key) };
  if (route.startsWith('/api/v1/auth/tokens')) return { open: false, scope: 'admin' };
  return { open: false, scope: isRead(method) ? 'read' : 'admin' };
}

export const isRead = (method: string) => method === 'GET' || method === 'HEAD';

export const allows = (held: Scope, needed: Scope) => held === 'admin' || needed === 'read';

/**
 * A browser sends the session cookie with cross-site form posts; it sends a custom header only from the
 * dashboard's own origin (anything else would need a CORS preflight, which the hub never grants). So a change
 * made with the cookie must carry CSRF_HEADER and, when the browser says where it comes from, come from here.
 */
export function isCsrfSafe(headers: Record<string, string | string[] | undefined>, publicUrl?: string): boolean {
  if (typeof headers[CSRF_HEADER] !== 'string' || headers[CSRF_HEADER] === '') return false;
  return isSameOrigin(headers, publicUrl);
}

/** No Origin (not a browser, or a same-origin GET) passes; a present one must be this host or PUBLIC_URL. */
export function isSameOrigin(headers: Record<string, string | string[] | undefined>, publicUrl?: string): boolean {
  const origin = headers['origin'];
  if (origin === undefined) return true;
  if (typeof origin !== 'string' || origin === 'null') return false;
  try {
    const { host, origin: normalised } = new URL(origin);
    return host === headers['host'] || (publicUrl !== undefined && normalised === new URL(publicUrl).origin);
  } catch {
    return false;
  }
}
