/** The one way the dashboard talks HTTP to the hub: same origin, JSON, errors as `ApiError`. */
import type { FieldIssue } from '@harrier/alert';

export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    /** HTTP status, or 0 when the hub could not be reached. */
    readonly status: number,
    message: string,
    /** Per-field validation problems of a 400. */
    readonly issues: readonly FieldIssue[] = [],
  ) {
    super(message);
  }
}

/** Query parameters; a list repeats the parameter, `undefined` leaves it out. */
export type QueryParams = Readonly<Record<string, string | readonly string[] | undefined>>;

export interface ApiRequest {
  query?: QueryParams;
  signal?: AbortSignal;
}

export function toSearchParams(query: QueryParams): URLSearchParams {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined) continue;
    for (const item of typeof value === 'string' ? [value] : value) search.append(name, item);
  }
  return search;
}

/** `path` with `query` as a same-origin URL, for what the browser fetches itself (a download link). */
export function apiUrl(path: string, query: QueryParams = {}): string {
  const search = toSearchParams(query).toString();
  return search ? `${path}?${search}` : path;
}

interface ErrorBody {
  message?: unknown;
  issues?: unknown;
}

function isFieldIssue(value: unknown): value is FieldIssue {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as FieldIssue).field === 'string' &&
    typeof (value as FieldIssue).message === 'string'
  );
}

async function errorFrom(response: Response): Promise<ApiError> {
  const fallback = `${response.status} ${response.statusText}`.trim();
  let body: ErrorBody;
  try {
    body = (await response.json()) as ErrorBody;
  } catch {
    return new ApiError(response.status, fallback);
  }
  const issues = Array.isArray(body.issues) ? body.issues.filter(isFieldIssue) : [];
  const message = typeof body.message === 'string' && body.message !== '' ? body.message : fallback;
  return new ApiError(response.status, message, issues);
}

/**
 * Sent with every request: the hub refuses changes made with the session cookie without it, which a cross-site
 * page cannot add (it would need a CORS preflight the hub never grants).
 */
const CSRF_HEADER = { 'x-harrier-csrf': '1' };

export const LOGIN_PATH = '/login';
const LOGIN_API = '/api/v1/auth/login';

/** A 401 means no session (never logged in, logged out, expired): off to the login page, back here after it. */
function goToLogin(): void {
  const { pathname, search } = window.location;
  if (pathname === LOGIN_PATH) return;
  window.location.assign(`${LOGIN_PATH}?${new URLSearchParams({ next: pathname + search }).toString()}`);
}

async function request(method: 'GET' | 'POST' | 'DELETE', path: string, { query, signal }: ApiRequest, body?: unknown) {
  let response: Response;
  try {
    response = await fetch(apiUrl(path, query), {
      method,
      headers: {
        accept: 'application/json',
        ...CSRF_HEADER,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      ...(signal ? { signal } : {}),
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ApiError(0, 'Cannot reach the Harrier hub. Is it running?');
  }
  if (response.status === 401 && path !== LOGIN_API) goToLogin();
  if (!response.ok) throw await errorFrom(response);
  return response;
}

export async function apiGet<T>(path: string, options: ApiRequest = {}): Promise<T> {
  const response = await request('GET', path, options);
  return (await response.json()) as T;
}

/** POSTs `body` as JSON; an empty answer (e.g. `POST /test`) gives `undefined`. */
export async function apiPost<T = undefined>(path: string, body?: unknown, options: ApiRequest = {}): Promise<T> {
  const response = await request('POST', path, options, body);
  const text = await response.text();
  return (text === '' ? undefined : JSON.parse(text)) as T;
}
