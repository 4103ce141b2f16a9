import { describe, expect, it } from 'vitest';
import { auditEventsFromJson, parseAuditInput } from './audit-input.js';

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

  it('reports hostile array nesting as unrecognised instead of overflowing the stack', () => {
    const deep = '['.repeat(20_000) + ']'.repeat(20_000);
    expect(parseAuditInput(deep).problems).toEqual([{ line: 1, message: 'data not recognized as a k8s audit event' }]);
    const nested = JSON.stringify([[[event('a')]]]);
    expect(ids(parseAuditInput(nested))).toEqual(['a']);
  });
});
