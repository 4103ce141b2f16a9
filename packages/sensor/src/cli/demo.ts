/** `harrier-sensor demo`: demo alerts into the hub (or stdout), telling the person at the terminal how it goes. */
import { DemoSource } from '../demo/demo-source.js';
import { seededRandom } from '../demo/random.js';
import { DeliveryError, type DeliveryErrorCode } from '../sink/sink.js';
import type { CliIo } from './main.js';
import { createSink, type SinkOptions } from './sink.js';

export interface DemoCommandOptions extends SinkOptions {
  rate: number;
  seed: number;
  /** Stop after this many; run until interrupted when undefined. */
  count: number | undefined;
}

/** What to do about each way delivery can fail. */
const ADVICE: Record<DeliveryErrorCode | 'REJECTED', string> = {
  HUB_UNREACHABLE: 'Is the hub running? Start it with `pnpm start`, or point --hub at it (or use --stdout).',
  HUB_UNAVAILABLE: 'The hub is up but failing; its logs should say why (is Redis reachable?).',
  REJECTED: 'The hub refused the alert; check that --hub is a Harrier ingest URL.',
};

const PROGRESS_EVERY_MS = 5_000;

export async function runDemo(options: DemoCommandOptions, io: CliIo): Promise<number> {
  const say = (text: string) => io.stderr.write(`harrier-sensor: ${text}\n`);
  const sink = await createSink(options, io, say);
  if (typeof sink === 'string') {
    say(sink);
    return 1;
  }
  const source = new DemoSource({ rate: options.rate, count: options.count, random: seededRandom(options.seed) });

  const target = options.hub === undefined ? 'stdout' : options.hub;
  const howMany = options.count === undefined ? 'until Ctrl-C' : `${options.count} in all`;
  say(`sending demo alerts to ${target} at ${options.rate}/s, ${howMany} (seed ${options.seed})`);

  const stop = () => void source.stop();
  io.signal.addEventListener('abort', stop, { once: true });
  let sent = 0;
  let reportedAt = Date.now();
  try {
    await source.start();
    for await (const alert of source.events()) {
      const { rejected, reason } = await sink.send([alert]);
      if (rejected > 0) {
        say(`the hub refused an alert: ${reason ?? 'no reason given'}.\n  ${ADVICE.REJECTED}`);
        say(`stopped after ${alerts(sent)} sent`);
        return 1;
      }
      sent++;
      if (sent === 1 || Date.now() - reportedAt >= PROGRESS_EVERY_MS) {
        say(`${alerts(sent)} sent, latest: ${alert.priority} ${alert.rule}`);
        reportedAt = Date.now();
      }
    }
  } catch (error) {
    if (!(error instanceof DeliveryError)) throw error;
    say(`could not deliver an alert: ${error.message}.\n  ${ADVICE[error.code]}`);
    say(`stopped after ${alerts(sent)} sent`);
    return 1;
  } finally {
    io.signal.removeEventListener('abort', stop);
    await source.stop();
  }
  say(`${io.signal.aborted ? 'stopped' : 'done'}: ${alerts(sent)} sent`);
  return 0;
}

function alerts(count: number): string {
  return `${count} alert${count === 1 ? '' : 's'}`;
}
