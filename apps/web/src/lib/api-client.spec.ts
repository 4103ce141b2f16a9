import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, apiGet, apiPost, toSearchParams } from './api-client';

function respond(status: number, body: string, statusText = '') {
  const fetch = vi.fn(() => Promise.resolve(new Response(body, { status, statusText })));
  vi.stubGlobal('fetch', fetch);
  return fetch;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('toSearchParams', () => {
  it('repeats list values and leaves out undefined ones', () => {
    expect(toSearchParams({ rule: ['a', 'b,c'], pod: 'web', cursor: undefined }).toString()).toBe(
      'rule=a&rule=b%2Cc&pod=web',
    );
  });
});

describe('apiGet', () => {
  it('requests the path with its query and returns the JSON body', async () => {
    const fetch = respond(200, '{"alerts":[],"nextCursor":null}');
    await expect(apiGet('/api/v1/alerts', { query: { priority: 'error' } })).resolves.toEqual({
      alerts: [],
      nextCursor: null,
    });
    expect(fetch).toHaveBeenCalledWith('/api/v1/alerts?priority=error', expect.anything());
  });

  it('throws an ApiError with the message and field issues of a 400', async () => {
    respond(
      400,
      JSON.stringify({
        statusCode: 400,
        error: 'Bad Request',
        message: 'Invalid query',
        issues: [{ field: 'priority', message: 'unknown priority "x"' }, { bogus: true }],
      }),
    );
    const error = await apiGet('/api/v1/alerts').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      status: 400,
      message: 'Invalid query',
      issues: [{ field: 'priority', message: 'unknown priority "x"' }],
    });
  });

  it('falls back to the status line when the error body is not JSON', async () => {
    respond(502, '<html>Bad gateway</html>', 'Bad Gateway');
    await expect(apiGet('/api/v1/alerts')).rejects.toMatchObject({ status: 502, message: '502 Bad Gateway' });
  });

  it('reports an unreachable hub as status 0', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(() => Promise.reject(new TypeError('Failed to fetch'))),
    );
    await expect(apiGet('/api/v1/alerts')).rejects.toMatchObject({ status: 0 });
  });
});

describe('apiPost', () => {
  it('sends the body as JSON and returns the JSON answer', async () => {
    const fetch = respond(200, '{"redriven":2}');
    await expect(apiPost('/api/v1/outputs/hook/dead-letters/redrive', { ids: ['1', '2'] })).resolves.toEqual({
      redriven: 2,
    });
    expect(fetch).toHaveBeenCalledWith(
      '/api/v1/outputs/hook/dead-letters/redrive',
      expect.objectContaining({
        method: 'POST',
        body: '{"ids":["1","2"]}',
        headers: expect.objectContaining({ 'content-type': 'application/json' }) as unknown,
      }),
    );
  });

  it('gives undefined for an empty answer', async () => {
    respond(200, '');
    await expect(apiPost('/test')).resolves.toBeUndefined();
  });

  it('throws an ApiError for a failed POST', async () => {
    respond(404, '{"message":"No output named \\"x\\""}');
    await expect(apiPost('/api/v1/outputs/x/dead-letters/redrive')).rejects.toMatchObject({
      status: 404,
      message: 'No output named "x"',
    });
  });
});
