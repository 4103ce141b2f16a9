import { describe, expect, it } from 'vitest';
import { clockNanos, evtTime, renderOutput, rfc3339Nanos } from './falco-format.js';

describe('renderOutput', () => {
  it('substitutes fields and reports each under the token as written', () => {
    const { text, fields } = renderOutput(
      'Pod started (user=%ka.user.name images=%ka.req.pod.containers.image init=%ka.req.pod.initContainers.image gparent=%proc.aname[2] tty=%proc.tty)',
      {
        'ka.user.name': 'alice',
        'ka.req.pod.containers.image': ['nginx:1.25', 'busybox'],
        'proc.aname[2]': 'runc',
        'proc.tty': 34816,
      },
    );
    expect(text).toBe('Pod started (user=alice images=(nginx:1.25,busybox) init=<NA> gparent=runc tty=34816)');
    expect(fields).toEqual({
      'ka.user.name': 'alice',
      'ka.req.pod.containers.image': ['nginx:1.25', 'busybox'],
      'ka.req.pod.initContainers.image': null,
      'proc.aname[2]': 'runc',
      'proc.tty': 34816,
    });
  });

  it('ends a token at characters that cannot be part of a field name', () => {
    const { text } = renderOutput('image=%container.image.repository:%container.image.tag, done', {
      'container.image.repository': 'docker.io/library/nginx',
      'container.image.tag': '1.25.3',
    });
    expect(text).toBe('image=docker.io/library/nginx:1.25.3, done');
  });
});

describe('Falco time formats', () => {
  const instant = { epochMs: Date.UTC(2024, 4, 17, 7, 3, 9, 46), nanos: 609 };

  it('gives RFC 3339 with nine fractional digits, zero-padded', () => {
    expect(rfc3339Nanos(instant)).toBe('2024-05-17T07:03:09.046000609Z');
  });

  it("gives the text line's clock", () => {
    expect(clockNanos(instant)).toBe('07:03:09.046000609');
  });

  it('gives evt.time in nanoseconds', () => {
    expect(evtTime({ epochMs: 1_234, nanos: 567 })).toBe(1_234_000_567);
  });
});
