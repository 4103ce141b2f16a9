/** Alerts as JSON lines on a stream (stdout), for piping into `jq`, a file or `curl`. */
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { FalcoAlert } from '@harrier/alert';
import type { AlertSink } from './sink.js';

export class JsonLinesSink implements AlertSink {
  constructor(private readonly stream: Writable) {}

  async send(alert: FalcoAlert): Promise<void> {
    // Wait when the reader is slower than the source, instead of buffering without bound.
    if (!this.stream.write(`${JSON.stringify(alert)}\n`)) await once(this.stream, 'drain');
  }
}
