import { describe, expect, it } from 'vitest';
import { auditEventsFromJson, listElementLengths, parseAuditInput } from './audit-input.js';

const event = (id: string, extra: Record<string, unknown> = {}) => ({
  kind: 'Event',
  auditID: id,
  stageTimestamp: '2024-05-01T10:00:00.123456789Z',
  ...extra,
});
const ids = (input: { events: Array<{ payload: unknown }> }) =>
  input.events.map((e) => (e.payload as { auditID: string }).auditID);

describe('audit input', () => {
  it('reads JSON lines: events, event lists and arrays, skipping what is not an audit event', () => {
    const text = [
      JSON.stringify(event('a')),
      '',
      JSON.stringify({ kind: 'EventList', items: [event('b'), event('c')] }),
      JSON.stringify([event('d'), { kind: 'EventList', items: [event('e')] }]),
      '{"kind": 0}',
      '{not json',
      JSON.stringify([event('lost'), { kind: 'Pod' }]),
      JSON.stringify({ kind: 'Event', auditID: 'no-time' }),
    ].join('\n');
    const input = parseAuditInput(text);
    expect(ids(input)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(input.problems).toEqual([
      { line: 5, message: 'data not recognized as a k8s audit event' },
      { line: 6, message: expect.stringMatching(/^malformed JSON: /) as unknown },
      { line: 7, message: 'data not recognized as a k8s audit event' },
      { line: 8, message: "can't read stageTimestamp" },
    ]);
  });

  it('reads one pretty-printed document', () => {
    const input = parseAuditInput(JSON.stringify({ kind: 'EventList', items: [event('a'), event('b')] }, null, 2));
    expect(ids(input)).toEqual(['a', 'b']);
    expect(input.problems).toEqual([]);
  });

  it('takes the event time from stageTimestamp, to the nanosecond', () => {
    expect(parseAuditInput(JSON.stringify(event('a'))).events[0]?.timeNs).toBe(1714557600123456789n);
    const offset = event('b', { stageTimestamp: '2024-05-01T12:00:00.5+02:00' });
    expect(auditEventsFromJson(offset).events[0]?.timeNs).toBe(1714557600500000000n);
  });

  it('drops events over the maximum size', () => {
    const big = event('big', { requestObject: { data: 'x'.repeat(300_000) } });
    expect(auditEventsFromJson(big).problems).toEqual([{ message: 'event larger than maxEventSize: size=300110' }]);
    expect(parseAuditInput(JSON.stringify(big)).events).toEqual([]);
  });

  it('measures each event of a large list, dropping only the large ones, however the list is written', () => {
    const big = event('big', { requestObject: { data: 'é'.repeat(140_000) } });
    const small = Array.from({ length: 300 }, (_, i) => event(`s${i}`, { requestObject: { data: 'x'.repeat(500) } }));
    const list = { kind: 'EventList', items: [...small.slice(0, 150), big, ...small.slice(150)] };
    for (const text of [JSON.stringify(list), JSON.stringify(list, null, 2), JSON.stringify(list.items)]) {
      const input = parseAuditInput(text);
      expect(input.events).toHaveLength(300);
      expect(ids(input)).not.toContain('big');
      expect(input.problems.map((p) => p.message)).toEqual([
        expect.stringMatching(/^event larger than maxEventSize: size=2801\d\d$/),
      ]);
    }
  });

  it('measures an event whose numbers print longer than they were written', () => {
    const numbers = `[${Array(12_000).fill('1e20').join(',')}]`;
    const text = `{"kind":"EventList","items":[{"kind":"Event","auditID":"n","stageTimestamp":"2024-05-01T10:00:00Z","n":${numbers}}, ${JSON.stringify(event('ok'))}]}`;
    expect(text.length).toBeLessThan(262_144);
    const input = parseAuditInput(text);
    expect(ids(input)).toEqual(['ok']);
    expect(input.problems[0]?.message).toMatch(/^event larger than maxEventSize/);
  });

  it('is not fooled by a second or escaped items key into skipping the size check', () => {
    const big = event('big', { requestObject: { data: 'x'.repeat(300_000) } });
    const one = JSON.stringify([event('a')]).slice(1, -1);
    for (const key of ['items', '\\u0069tems']) {
      const text = `{"kind":"EventList","items":[${one}],"${key}":[${JSON.stringify(big)}]}`;
      const input = parseAuditInput(text);
      expect(input.events).toEqual([]);
      expect(input.problems[0]?.message).toMatch(/^event larger than maxEventSize/);
    }
  });

  it('finds the source length of each element of the event list', () => {
    expect(listElementLengths('[{"a":1}, {"b":"x]}"} ,3]')).toEqual([7, 11, 1]);
    expect(
      listElementLengths(' { "kind" : "EventList", "meta": {"items": [1]}, "items" : [ {"k":"\\""} , [1,[2]] ] } '),
    ).toEqual([10, 7]);
    expect(listElementLengths('{"items":[]}')).toEqual([]);
    expect(listElementLengths('{"kind":"Event"}')).toBeUndefined();
    expect(listElementLengths('"items"')).toBeUndefined();
  });

  it('reports hostile array nesting as unrecognised instead of overflowing the stack', () => {
    const deep = '['.repeat(20_000) + ']'.repeat(20_000);
    expect(parseAuditInput(deep).problems).toEqual([{ line: 1, message: 'data not recognized as a k8s audit event' }]);
    const nested = JSON.stringify([[[event('a')]]]);
    expect(ids(parseAuditInput(nested))).toEqual(['a']);
  });
});
