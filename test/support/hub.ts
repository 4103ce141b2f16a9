/**
 * The built hub (apps/server/dist/main.js) as a child process on a free port, as it runs in production;
 * `app.ts` builds it in-process from source instead.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { authDefault } from './auth.js';
import { freePort } from './ports.js';

const HUB_MAIN = fileURLToPath(new URL('../../apps/server/dist/main.js', import.meta.url));
const HOST = '127.0.0.1';
const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 5_000;
const LOG_TAIL_CHARS = 8_000;

export interface HubProcess {
  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:40123`. */
  readonly url: string;
  readonly port: number;
  /** The last few kilobytes of the hub's stdout and stderr, for failure messages. */
  logs(): string;
  stop(): Promise<void>;
  /** Kills the hub abruptly (no shutdown hooks), as a crash or an OOM kill would. */
  kill(): Promise<void>;
  /** Sends a signal that does not stop it (SIGHUP: reload rules). */
  signal(name: NodeJS.Signals): void;
}

export interface StartHubProcessOptions {
  /**
   * Extra environment; by default the hub runs with the embedded store, no demo alerts and no login
   * (AUTH=disabled unless an AUTH setting is given).
   */
  env?: Record<string, string>;
}

function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (hasExited(child)) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

async function waitForHealth(url: string, child: ChildProcess, logs: () => string): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (hasExited(child)) {
      throw new Error(
        `The hub exited (code ${child.exitCode}, signal ${child.signalCode}) before it was healthy:\n${logs()}`,
      );
    }
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.status === 200) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`The hub was not healthy at ${url}/healthz within ${START_TIMEOUT_MS} ms:\n${logs()}`);
}

export async function startHubProcess({ env = {} }: StartHubProcessOptions = {}): Promise<HubProcess> {
  if (!existsSync(HUB_MAIN)) {
    throw new Error(`${HUB_MAIN} does not exist: run "pnpm -r build" first`);
  }
  const port = await freePort();
  const url = `http://${HOST}:${port}`;
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST,
    DEMO: 'false',
    ...authDefault(env),
    ...env,
  };
  if (env.REDIS_URL === undefined) delete childEnv.REDIS_URL;

  const child = spawn(process.execPath, [HUB_MAIN], { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-LOG_TAIL_CHARS);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const logs = () => output;

  try {
    await waitForHealth(url, child, logs);
  } catch (error) {
    await stopProcess(child);
    throw error;
  }
  const kill = async () => {
    if (hasExited(child)) return;
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
  };
  return { url, port, logs, stop: () => stopProcess(child), kill, signal: (name) => void child.kill(name) };
}

/** Sends one alert the way Falco's http_output does (`POST /`); throws unless the hub answers 2xx. */
export async function postAlert(hubUrl: string, alert: unknown): Promise<void> {
  const response = await fetch(`${hubUrl}/`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(alert),
  });
  if (!response.ok) throw new Error(`POST / answered ${response.status}: ${await response.text()}`);
}

/** Writes a hub config file (YAML text) to a fresh temporary folder; returns its path for CONFIG_FILE. */
export async function writeConfigFile(yaml: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'harrier-'));
  const file = path.join(dir, 'harrier.yaml');
  await writeFile(file, yaml);
  return file;
}

/** The hub's resident memory, as its /metrics reports it. */
export async function hubRssBytes(hubUrl: string): Promise<number> {
  const metrics = await (await fetch(`${hubUrl}/metrics`)).text();
  const match = /^process_resident_memory_bytes (\d+)/m.exec(metrics);
  if (!match) throw new Error('/metrics has no process_resident_memory_bytes');
  return Number(match[1]);
}
