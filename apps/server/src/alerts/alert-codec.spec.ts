import { describe, expect, it } from 'vitest';
import { decodeAlert, encodeAlert, idBytes, readIdBytes, readIds } from './alert-codec.js';
import { AlertIdGenerator } from './alert-id.js';

describe('alert ids as 16 bytes', () => {
  it('round-trips ids and keeps their order as bytes', () => {
    const ids = new AlertIdGenerator();
    const made = [0, 1, Date.parse('2026-01-01T00:00:00Z'), 2 ** 48 - 1].flatMap((t) => [ids.next(t), ids.next(t)]);
    made.push('7ZZZZZZZZZZZZZZZZZZZZZZZZZ', '00000000000000000000000000');
    for (const id of made) expect(readIdBytes(idBytes(id), 0)).toBe(id);
    const sorted = [...made].sort();
    expect(
      sorted
        .map(idBytes)
        .sort((x, y) => Buffer.compare(x, y))
        .map((b) => readIdBytes(b, 0)),
    ).toEqual(sorted);
    expect(readIds(Buffer.concat(made.map(idBytes)))).toEqual(made);
  });

  it('refuses what is not an id', () => {
    expect(() => idBytes('not-an-id-at-all-xxxxxxxxx')).toThrow(/not an alert id/);
  });
});

describe('stored alert documents', () => {
  const alert = {
    id: '01JGFJJZ000000000000000000',
    time: '2026-01-01T00:00:00.123456789Z',
    rule: 'Terminal shell in container',
    priority: 'Notice' as const,
    source: 'syscall',
    output: 'A shell was spawned <b>ü</b>',
    output_fields: { 'k8s.ns.name': 'default', n: 42, ok: true, nothing: null },
    tags: ['container', 'shell'],
    hostname: 'node-a',
  };

  it('round-trips an alert, smaller than its JSON', () => {
    const stored = encodeAlert(alert);
    expect(decodeAlert(alert.id, stored)).toEqual(alert);
    expect(stored.length).toBeLessThan(JSON.stringify(alert).length * 0.8);
  });

  it('writes the current format (2) and still reads documents that earlier hubs wrote in format 1', () => {
    expect(encodeAlert(alert)[0]).toBe(2);
    // Written by the deflate encoder that format 2 replaced, for this same alert.
    const deflated = Buffer.from(
      'AavGV4cYGhmbmJqZW1gi1SEhMF9CAgjZfEJFPpbSHVs42yTZHd5jo59kh63oRy04oZ4AZSUlKxMjHaX8bCWrkqLSVB2lvPySDFA1ZJVXmpOD' +
        'N8eiJv28/JRU3USlWgA=',
      'base64',
    );
    expect(decodeAlert(alert.id, deflated)).toEqual(alert);
    // Written so during a rolling upgrade from a hub that reads only format 1.
    expect(encodeAlert(alert, 'deflate')).toEqual(deflated);
  });

  it('reads an unknown or damaged format as absent instead of failing', () => {
    expect(decodeAlert(alert.id, Buffer.from(JSON.stringify(alert)))).toBeUndefined();
    expect(decodeAlert(alert.id, Buffer.from([1, 2, 3, 4]))).toBeUndefined();
    const truncated = encodeAlert(alert);
    expect(decodeAlert(alert.id, truncated.subarray(0, truncated.length - 5))).toBeUndefined();
  });
});
