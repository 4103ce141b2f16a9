/** Where the CLI's alerts go: the hub (with its ingest token, retries told to the person at the terminal) or stdout. */
import { readFile } from 'node:fs/promises';
import { HubSink } from '../sink/hub-sink.js';
import { JsonLinesSink } from '../sink/json-lines-sink.js';
import type { AlertSink } from '../sink/sink.js';
import type { CliIo } from './main.js';

export interface SinkOptions {
  /** Post to this hub; stdout when undefined. */
  hub: string | undefined;
  /** A file holding the hub's ingest token (`INGEST_TOKENS`). */
  hubTokenFile: string | undefined;
}

/** The sink, or why it cannot be made (an unreadable token file). */
export async function createSink(
  options: SinkOptions,
  io: CliIo,
  say: (text: string) => void,
): Promise<AlertSink | string> {
  if (options.hub === undefined) return new JsonLinesSink(io.stdout);
  let token: string | undefined;
  if (options.hubTokenFile !== undefined) {
    try {
      token = (await readFile(options.hubTokenFile, 'utf8')).trim();
    } catch (error) {
      return `cannot read --hub-token-file: ${error instanceof Error ? error.message : String(error)}`;
    }
  }
  return new HubSink({
    url: options.hub,
    ...(token ? { token } : {}),
    onRetry: ({ attempt, attempts, delayMs, reason }) =>
      say(`${reason}; retrying in ${(delayMs / 1000).toFixed(1)} s (attempt ${attempt + 1} of ${attempts})`),
  });
}
