import { describe, expect, it } from 'vitest';
import { allows, isCsrfSafe, routePolicy } from './request-policy.js';

describe('routePolicy', () => {
  it('leaves ingest, probes, metrics, login and logout open', () => {
    for (const [method, route] of [
      ['POST', '/'],
      ['POST', '/k8s-audit'],
      ['GET', '/ping'],
      ['POST', '/ping'],
      ['HEAD', '/healthz'],
      ['GET', '/metrics'],
      ['POST', '/api/v1/auth/login'],
    ]) {
      expect(routePolicy(method!, route!).open).toBe(true);
    }
    expect(routePolicy('POST', '/api/v1/auth/login')).toEqual({ open: true, csrf: true });
    expect(routePolicy('GET', '/ping')).toEqual({ open: true, csrf: false });
  });

  it('closes everything else: reads need read, changes and token management need admin', () => {
    expect(routePolicy('GET', '/api/v1/alerts')).toEqual({ open: false, scope: 'read' });
    expect(routePolicy('GET', '/api/v1/some/route/added/later')).toEqual({ open: false, scope: 'read' });
    expect(routePolicy('POST', '/test')).toEqual({ open: false, scope: 'admin' });
    expect(routePolicy('POST', '/healthz')).toEqual({ open: false, scope: 'admin' });
    expect(routePolicy('GET', '/api/v1/auth/tokens')).toEqual({ open: false, scope: 'admin' });
    expect(allows('read', 'admin')).toBe(false);
    expect(allows('admin', 'read')).toBe(true);
  });
});

describe('isCsrfSafe', () => {
  const host = { host: 'hub.example:2801' };
  it('needs the custom header', () => {
    expect(isCsrfSafe(host)).toBe(false);
    expect(isCsrfSafe({ ...host, 'x-harrier-csrf': '' })).toBe(false);
    expect(isCsrfSafe({ ...host, 'x-harrier-csrf': '1' })).toBe(true);
  });

  it('accepts no Origin, this host or PUBLIC_URL, and nothing else', () => {
    const csrf = { ...host, 'x-harrier-csrf': '1' };
    expect(isCsrfSafe({ ...csrf, origin: 'http://hub.example:2801' })).toBe(true);
    expect(isCsrfSafe({ ...csrf, origin: 'https://harrier.example.com' }, 'https://harrier.example.com')).toBe(true);
    for (const origin of ['https://evil.example', 'null', 'http://hub.example:2802', 'not a url']) {
      expect(isCsrfSafe({ ...csrf, origin })).toBe(false);
    }
  });
});
