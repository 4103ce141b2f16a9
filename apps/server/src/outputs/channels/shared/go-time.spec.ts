import { describe, expect, it } from 'vitest';
import { goRfc3339Nano, goTimeString } from './go-time.js';

describe('Go time formatting', () => {
  it("prints time.String() as falcosidekick's Slack fields and mails show it", () => {
    expect(goTimeString('2019-05-17T15:31:56.746609046Z')).toBe('2019-05-17 15:31:56.746609046 +0000 UTC');
    expect(goTimeString('2019-05-17T15:31:56.500000Z')).toBe('2019-05-17 15:31:56.5 +0000 UTC');
    expect(goTimeString('2019-05-17T15:31:56Z')).toBe('2019-05-17 15:31:56 +0000 UTC');
    expect(goTimeString('2019-05-17T17:31:56.1+02:00')).toBe('2019-05-17 17:31:56.1 +0200 +0200');
    expect(goTimeString('2019-05-17T15:31:56+00:00')).toBe('2019-05-17 15:31:56 +0000 UTC');
  });

  it('prints RFC3339Nano with trailing zeros dropped and a zero offset as Z', () => {
    expect(goRfc3339Nano('2019-05-17T15:31:56.746609000Z')).toBe('2019-05-17T15:31:56.746609Z');
    expect(goRfc3339Nano('2019-05-17T15:31:56.000Z')).toBe('2019-05-17T15:31:56Z');
    expect(goRfc3339Nano('2019-05-17t15:31:56+00:00')).toBe('2019-05-17T15:31:56Z');
    expect(goRfc3339Nano('2019-05-17T17:31:56.25-05:30')).toBe('2019-05-17T17:31:56.25-05:30');
  });
});
