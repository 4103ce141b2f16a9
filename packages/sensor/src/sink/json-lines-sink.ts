/** Alerts as JSON lines on a stream (stdout), for piping into `jq`, a file or `curl`. */
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { FalcoAlert } from '@harrier/alert';
import type { AlertSink, SendResult } from './sink.js';

export class JsonLinesSink implements AlertSink {
  constructor(private readonly stream: Writable) {}

  async send(alerts: readonly FalcoAlert[]): Promise<SendResult> {
    const text = alerts.map((alert) => `${JSON.stringify(alert)}\n`).join('');
    // Wait when the reader is slower than the source, instead of buffering without bound.
    if (!this.stream.write(text)) await once(this.stream, 'drain');
    return { rejected: 0 };
  }
}
