import { describe, expect, it } from 'vitest';
import { nextPath } from './auth-api';

describe('nextPath', () => {
  it('returns to a path on this site', () => {
    expect(nextPath('?next=%2Foutputs%3Fx%3D1')).toBe('/outputs?x=1');
    expect(nextPath('')).toBe('/');
  });

  it('never leaves the site (open redirect)', () => {
    for (const next of [
      'https://evil.example',
      '//evil.example',
      '/\\evil.example',
      'javascript:alert(1)',
      // The browser drops tabs and line breaks before resolving: each of these is //evil.example.
      '/\t/evil.example',
      '/\n/evil.example/x',
      '/\r\\evil.example',
      // Dot segments resolve away, leaving //evil.example.
      '/.//evil.example',
      '/a/..//evil.example',
      '/%2e//evil.example',
    ]) {
      expect(nextPath(`?${new URLSearchParams({ next }).toString()}`)).toBe('/');
    }
  });
});
