/** `harrier-sensor`: argument parsing, usage and dispatch; each command lives in its own file. */
import type { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { DEFAULT_RULES_FILE } from '@harrier/engine';
import { runDemo, type DemoCommandOptions } from './demo.js';
import { runSensor, type SensorCommandOptions, type SensorSourceOptions } from './sensor.js';

/** stdout carries results (JSON lines, help); stderr carries progress and errors for a person. */
export interface CliIo {
  stdout: Writable;
  stderr: Writable;
  /** Aborts a running command, e.g. on Ctrl-C. */
  signal: AbortSignal;
  /** Registers a listener for SIGHUP (reload the rules); returns what unregisters it. */
  onHangup?: (listener: () => void) => () => void;
}

export const DEFAULT_HUB = 'http://localhost:2801';
const API_SERVER_HINT = 'kubernetes.default.svc.cluster.local';

export const USAGE = `Usage: harrier-sensor --source audit-webhook|audit-log|procfs|demo [source options] [-r RULES…] (--hub URL | --stdout)
       harrier-sensor demo [demo options]

Reads events from a source, evaluates them with Falco rules and sends the alerts, in Falco's JSON, to a
Harrier hub (POST /) or prints them as JSON lines. Ctrl-C (or SIGTERM) stops it with a summary: events read,
alerts, sent, dropped.

Sources:
  --source audit-webhook  Serves kube-apiserver's audit webhook (POST /k8s-audit): an EventList, an Event,
                        an array or JSON lines; bodies up to 12 MiB, events over 256 KiB skipped.
    --listen [HOST]:PORT  Where to listen (default :9765, all interfaces, as Falco's k8saudit plugin).
    --webhook-token-file F  Bearer tokens (one a line) a request must present; without it, no authentication.
    --tls-cert F, --tls-key F  Serve HTTPS with this certificate and key (PEM).
  --source audit-log    Kubernetes audit log files (kube-apiserver --audit-log-path), followed like tail -F.
    --audit-log-path P  A log file, or a directory of them (required).
    --offset-file F     Save read offsets here and resume from them after a restart.
    --from-end          On a first start (no saved offsets), skip what the files already hold.
  --source procfs       New processes (execve) and connections (connect) seen by polling /proc (Linux).
    --proc-root DIR     Where /proc is (default /proc; e.g. /host/proc in a container).
    --etc-root DIR      Where etc/passwd is read for user names (default /).
    --interval MS       Poll interval in milliseconds (default 100). Shorter-lived processes can be missed.
    --rescan MS         How often known processes are read again to see an exec (default 1000).
    --k8s-api-server IP The API server's service address, reported as ${API_SERVER_HINT}
                        (repeatable; KUBERNETES_SERVICE_HOST is added when set).
    --kubelet-url URL   The kubelet's pod list, e.g. https://$NODE_IP:10250/pods: adds container.name,
                        container.image*, k8s.pod.name and k8s.ns.name to container processes.
    --kubelet-token-file F  Bearer token for it (default: the pod's service account token).
    --kubelet-ca-file F     CA of the kubelet's serving certificate (default: the service account's ca.crt).
    --kubelet-insecure      Accept any kubelet certificate (kubelets often serve a self-signed one).
  --source demo         Realistic audit and syscall events, some of which raise Harrier's default rules.
    --rate N            Events per second (default 10).
    --count N           Stop after N events (default: run until Ctrl-C).
    --seed N            Seed for the generator (default: random).

Rules and output:
  -r, --rules FILE      A rules file; repeat for several (default: Harrier's default rules). Reloaded on
                        SIGHUP and when a file changes; a reload that fails keeps the previous rules.
  --hub URL             Hub to post alerts to (default ${DEFAULT_HUB}).
  --hub-token-file F    A file holding the hub's ingest token (for a hub with INGEST_TOKENS).
  --stdout              Print alerts as JSON lines on stdout instead.
  --buffer N            Alerts held while the hub is unreachable before new ones are dropped (default 10000).
  -h, --help            Show this help.

Commands:
  demo                  Ready-made Falco alerts, no rules involved (for trying the hub and dashboard):
    --hub URL, --hub-token-file F, --stdout, --rate N (alerts per second, default 1), --count N, --seed N
    as above.

Progress and errors go to stderr.
Exit status: 0 when done, 1 when alerts were lost (hub unreachable, refused, rules that fail to load),
2 on a usage error.
`;

const OPTIONS = {
  source: { type: 'string' },
  listen: { type: 'string' },
  'webhook-token-file': { type: 'string' },
  'tls-cert': { type: 'string' },
  'tls-key': { type: 'string' },
  'audit-log-path': { type: 'string' },
  'offset-file': { type: 'string' },
  'from-end': { type: 'boolean' },
  'proc-root': { type: 'string' },
  'etc-root': { type: 'string' },
  interval: { type: 'string' },
  rescan: { type: 'string' },
  'k8s-api-server': { type: 'string', multiple: true },
  'kubelet-url': { type: 'string' },
  'kubelet-token-file': { type: 'string' },
  'kubelet-ca-file': { type: 'string' },
  'kubelet-insecure': { type: 'boolean' },
  rules: { type: 'string', short: 'r', multiple: true },
  buffer: { type: 'string' },
  hub: { type: 'string' },
  'hub-token-file': { type: 'string' },
  rate: { type: 'string' },
  count: { type: 'string' },
  seed: { type: 'string' },
  stdout: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Parsed = ReturnType<typeof parse>;

function parse(argv: readonly string[]) {
  return parseArgs({ args: [...argv], allowPositionals: true, options: OPTIONS });
}

/** Runs the CLI and resolves to its exit status. */
export async function runSensorCli(argv: readonly string[], io: CliIo): Promise<number> {
  let parsed: Parsed;
  try {
    parsed = parse(argv);
  } catch (error) {
    return usageError(io, error instanceof Error ? error.message : String(error));
  }
  const [command, ...extra] = parsed.positionals;
  const { values } = parsed;
  if (values.help || (command === undefined && values.source === undefined) || command === 'help') {
    io.stdout.write(USAGE);
    return 0;
  }
  if (command !== undefined && command !== 'demo') return usageError(io, `unknown command '${command}'`);
  if (extra.length > 0) return usageError(io, `unexpected argument '${extra.join(' ')}'`);
  if (command === 'demo') {
    if (values.source !== undefined) return usageError(io, 'use either the demo command or --source, not both');
    const options = demoOptions(values);
    return typeof options === 'string' ? usageError(io, options) : runDemo(options, io);
  }
  const options = sensorOptions(values);
  return typeof options === 'string' ? usageError(io, options) : runSensor(options, io);
}

/** `--source` and the rest, or what is wrong with them. */
function sensorOptions(values: Parsed['values']): SensorCommandOptions | string {
  const source = sourceOptions(values);
  if (typeof source === 'string') return source;
  const hub = hubOption(values);
  if (hub instanceof Error) return hub.message;
  const bufferSize = number(values.buffer, 10_000);
  if (!(Number.isInteger(bufferSize) && bufferSize > 0)) {
    return `--buffer must be a positive whole number, got '${values.buffer}'`;
  }
  const hubTokenFile = values['hub-token-file'];
  return { source, rules: values.rules ?? [DEFAULT_RULES_FILE], hub, hubTokenFile, bufferSize };
}

function sourceOptions(values: Parsed['values']): SensorSourceOptions | string {
  // Reached only with --source given (or no command at all, which prints usage).
  const source: string = values.source ?? '';
  switch (source) {
    case 'audit-webhook': {
      const listen = listenOption(values.listen ?? ':9765');
      if (listen === undefined) {
        return `--listen must be [HOST]:PORT such as :9765 or 127.0.0.1:9765, got '${values.listen}'`;
      }
      const [tlsCert, tlsKey] = [values['tls-cert'], values['tls-key']];
      if ((tlsCert === undefined) !== (tlsKey === undefined)) return '--tls-cert and --tls-key go together';
      return { ...listen, tokenFile: values['webhook-token-file'], tlsCert, tlsKey };
    }
    case 'audit-log': {
      if (values['audit-log-path'] === undefined) return '--source audit-log needs --audit-log-path';
      const fromEnd = values['from-end'] ?? false;
      return { kind: 'audit-log', path: values['audit-log-path'], offsetFile: values['offset-file'], fromEnd };
    }
    case 'procfs': {
      const intervalMs = number(values.interval, 100);
      if (!(intervalMs > 0 && Number.isFinite(intervalMs))) {
        return `--interval must be a positive number of milliseconds, got '${values.interval}'`;
      }
      const rescanEveryMs = number(values.rescan, 1_000);
      if (!(rescanEveryMs > 0 && Number.isFinite(rescanEveryMs))) {
        return `--rescan must be a positive number of milliseconds, got '${values.rescan}'`;
      }
      const apiServers = values['k8s-api-server'] ?? [];
      const procRoot = values['proc-root'] ?? '/proc';
      const kubeletUrl = values['kubelet-url'];
      if (kubeletUrl !== undefined && !(URL.canParse(kubeletUrl) && /^https?:$/.test(new URL(kubeletUrl).protocol))) {
        return `--kubelet-url must be an http(s) URL such as https://10.0.0.5:10250/pods, got '${kubeletUrl}'`;
      }
      const kubelet =
        kubeletUrl === undefined
          ? undefined
          : {
              url: kubeletUrl,
              insecureSkipVerify: values['kubelet-insecure'] ?? false,
              ...(values['kubelet-token-file'] === undefined ? {} : { tokenFile: values['kubelet-token-file'] }),
              ...(values['kubelet-ca-file'] === undefined ? {} : { caFile: values['kubelet-ca-file'] }),
            };
      const etcRoot = values['etc-root'] ?? '/';
      return { kind: 'procfs', procRoot, etcRoot, intervalMs, rescanEveryMs, apiServers, kubelet };
    }
    case 'demo': {
      const pace = paceOptions(values, 10);
      return typeof pace === 'string' ? pace : { kind: 'demo', ...pace };
    }
    default:
      return `--source must be audit-webhook, audit-log, procfs or demo, got '${values.source}'`;
  }
}

/** `[HOST]:PORT`, `[::1]:PORT` included; undefined when malformed. */
function listenOption(value: string): { kind: 'audit-webhook'; host: string; port: number } | undefined {
  const match = /^(?:\[([^\]]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(value.trim());
  const port = Number(match?.[3]);
  if (match === null || port > 65_535) return undefined;
  return { kind: 'audit-webhook', host: match[1] ?? (match[2] || '0.0.0.0'), port };
}

/** The demo command's options, or what is wrong with them. */
function demoOptions(values: Parsed['values']): DemoCommandOptions | string {
  const pace = paceOptions(values, 1);
  if (typeof pace === 'string') return pace;
  const hub = hubOption(values);
  return hub instanceof Error ? hub.message : { ...pace, hub, hubTokenFile: values['hub-token-file'] };
}

/** `--rate`, `--count` and `--seed` of the demos. */
function paceOptions(values: Parsed['values'], defaultRate: number) {
  const rate = number(values.rate, defaultRate);
  if (!(rate > 0 && Number.isFinite(rate))) return `--rate must be a positive number, got '${values.rate}'`;
  const count = number(values.count, undefined);
  if (count !== undefined && !(Number.isInteger(count) && count > 0)) {
    return `--count must be a positive whole number, got '${values.count}'`;
  }
  const seed = number(values.seed, Math.floor(Math.random() * 2 ** 32));
  if (!Number.isSafeInteger(seed)) return `--seed must be a whole number, got '${values.seed}'`;
  return { rate, count, seed };
}

/** The hub to post to; undefined for --stdout. */
function hubOption(values: Parsed['values']): string | undefined | Error {
  if (values.stdout && values.hub !== undefined) return new Error('use either --hub or --stdout, not both');
  if (values.stdout) return undefined;
  const hub = values.hub ?? DEFAULT_HUB;
  if (!(URL.canParse(hub) && /^https?:$/.test(new URL(hub).protocol))) {
    return new Error(`--hub must be an http(s) URL such as ${DEFAULT_HUB}, got '${hub}'`);
  }
  return hub;
}

/** An option's number, `fallback` when absent; NaN when it is not a number at all. */
function number<F extends number | undefined>(value: string | undefined, fallback: F): number | F {
  if (value === undefined) return fallback;
  return value.trim() === '' ? NaN : Number(value);
}

function usageError(io: CliIo, problem: string): number {
  io.stderr.write(`harrier-sensor: ${problem}\n\n${USAGE}`);
  return 2;
}
