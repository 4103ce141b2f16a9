import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createDemoAlert } from '../demo/demo-alerts.js';
import { seededRandom } from '../demo/random.js';
import { JsonLinesSink } from './json-lines-sink.js';

describe('JsonLinesSink', () => {
  it('writes one JSON object per line', async () => {
    const stream = new PassThrough({ encoding: 'utf8' });
    const random = seededRandom(5);
    const alerts = [createDemoAlert(random, 0), createDemoAlert(random, 1)];
    const sink = new JsonLinesSink(stream);
    await sink.send(alerts.slice(0, 1));
    await sink.send(alerts.slice(1));
    stream.end();
    const lines = (await stream.toArray()).join('').split('\n');
    expect(lines.pop()).toBe('');
    expect(lines.map((line) => JSON.parse(line) as unknown)).toEqual(alerts);
  });

  it('waits for a slow reader to drain', async () => {
    const stream = new PassThrough({ highWaterMark: 16, encoding: 'utf8' });
    const sending = new JsonLinesSink(stream).send([createDemoAlert(seededRandom(5), 0)]);
    let sent = false;
    void sending.then(() => (sent = true));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(sent).toBe(false);
    stream.resume();
    await sending;
  });
});
