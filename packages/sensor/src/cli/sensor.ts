/** `harrier-sensor --source …`: events from a source, judged by the rules here, alerts to the hub or stdout. */
import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { APPEND_OUTPUT } from '../append-output.js';
import { AuditLogSource } from '../audit-log/audit-log-source.js';
import { AuditWebhookSource, type AuditWebhookSourceOptions } from '../audit-webhook/audit-webhook-source.js';
import { DemoActivitySource } from '../demo/demo-activity.js';
import { seededRandom } from '../demo/random.js';
import { Pipeline } from '../pipeline/pipeline.js';
import { KubeletPods, type KubeletPodsOptions } from '../procfs/kubelet-pods.js';
import { ProcfsSource } from '../procfs/procfs-source.js';
import type { EventSource, SensorEvent, SourceProblem } from '../source.js';
import { LiveRules } from './live-rules.js';
import type { CliIo } from './main.js';
import { createSink, type SinkOptions } from './sink.js';

export type SensorSourceOptions =
  | {
      kind: 'audit-webhook';
      host: string;
      port: number;
      tokenFile: string | undefined;
      tlsCert: string | undefined;
      tlsKey: string | undefined;
    }
  | { kind: 'audit-log'; path: string; offsetFile: string | undefined; fromEnd: boolean }
  | {
      kind: 'procfs';
      procRoot: string;
      etcRoot: string;
      intervalMs: number;
      rescanEveryMs: number;
      apiServers: readonly string[];
      kubelet: Omit<KubeletPodsOptions, 'onWarning' | 'clock'> | undefined;
    }
  | { kind: 'demo'; rate: number; count: number | undefined; seed: number };

export interface SensorCommandOptions extends SinkOptions {
  source: SensorSourceOptions;
  rules: readonly string[];
  bufferSize: number;
}

/** Every alert names its host, and the container, pod and namespace it is about (see `APPEND_OUTPUT`). */
const RULE_SET_OPTIONS = { hostname: hostname(), appendOutput: APPEND_OUTPUT };

/** What Falco's rules call the API server (macro `k8s_api_server`). */
const API_SERVER_NAME = 'kubernetes.default.svc.cluster.local';

export async function runSensor(options: SensorCommandOptions, io: CliIo): Promise<number> {
  const say = (text: string) => io.stderr.write(`harrier-sensor: ${text}\n`);
  const rules = await LiveRules.load(options.rules, RULE_SET_OPTIONS, say);
  if (rules === undefined) {
    say('rules failed to load; not starting');
    return 1;
  }
  const sink = await createSink(options, io, say);
  if (typeof sink === 'string') {
    say(sink);
    return 1;
  }
  const onProblem = ({ where, message }: SourceProblem) => say(`${where}: ${message}`);
  const secrets = options.source.kind === 'audit-webhook' ? await webhookSecrets(options.source) : {};
  if (typeof secrets === 'string') {
    say(secrets);
    return 1;
  }
  const source = createSource(options.source, onProblem, secrets);
  // Started here (the pipeline's start is then a no-op), so that a port in use ends the start with a clear
  // message, and "reading" is said once the source is reading.
  try {
    await source.start();
  } catch (error) {
    const what = source instanceof AuditWebhookSource ? 'listen for audit events' : `start the ${source.name} source`;
    say(`cannot ${what}: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
  if (source instanceof AuditWebhookSource) {
    say(`audit webhook listening on ${source.url}`);
    if (secrets.tokens === undefined) {
      say('the audit webhook has no --webhook-token-file: whoever can reach it can post audit events');
    }
  }
  const stopFollowing = rules.follow(io);
  const pipeline = new Pipeline({
    source,
    ruleSet: () => rules.current,
    sink,
    bufferSize: options.bufferSize,
    log: say,
  });
  say(
    `reading ${source.name} events, ${rules.count} rules from ${options.rules.join(', ')}, ` +
      `alerts to ${options.hub ?? 'stdout'}`,
  );
  const stats = await pipeline.run(io.signal).finally(stopFollowing);
  if (source instanceof AuditWebhookSource) {
    const { requests, skipped, refused } = source.stats;
    say(`audit webhook: ${requests} requests, ${refused} refused, ${skipped} audit values skipped`);
  }
  say(
    `${io.signal.aborted ? 'stopped' : 'done'}: ${stats.events} events read, ${stats.alerts} alerts, ` +
      `${stats.sent} sent, ${stats.dropped} dropped, ${stats.rejected} refused by the hub`,
  );
  return stats.dropped + stats.rejected > 0 ? 1 : 0;
}

type WebhookSecrets = Pick<AuditWebhookSourceOptions, 'tokens' | 'tls'>;

/** The webhook's tokens and TLS material, read from their files, or what went wrong. */
async function webhookSecrets(
  options: Extract<SensorSourceOptions, { kind: 'audit-webhook' }>,
): Promise<WebhookSecrets | string> {
  const secrets: WebhookSecrets = {};
  try {
    if (options.tokenFile !== undefined) {
      const tokens = (await readFile(options.tokenFile, 'utf8')).split('\n').map((t) => t.trim());
      secrets.tokens = tokens.filter(Boolean);
      if (secrets.tokens.length === 0) return `--webhook-token-file ${options.tokenFile} holds no token`;
    }
    if (options.tlsCert !== undefined && options.tlsKey !== undefined) {
      secrets.tls = { cert: await readFile(options.tlsCert), key: await readFile(options.tlsKey) };
    }
  } catch (error) {
    return `cannot read the audit webhook's secrets: ${error instanceof Error ? error.message : String(error)}`;
  }
  return secrets;
}

function createSource(
  options: SensorSourceOptions,
  onProblem: (p: SourceProblem) => void,
  secrets: WebhookSecrets,
): EventSource<SensorEvent> {
  switch (options.kind) {
    case 'audit-webhook':
      return new AuditWebhookSource({ host: options.host, port: options.port, onProblem, ...secrets });
    case 'audit-log':
      return new AuditLogSource({
        path: options.path,
        fromEnd: options.fromEnd,
        onProblem,
        ...(options.offsetFile === undefined ? {} : { offsetFile: options.offsetFile }),
      });
    case 'procfs': {
      // In a pod, the API server's service address is in the environment; on a node, pass --k8s-api-server.
      const fromEnv = process.env['KUBERNETES_SERVICE_HOST'];
      const addresses = [...options.apiServers, ...(fromEnv === undefined ? [] : [fromEnv])];
      return new ProcfsSource({
        procRoot: options.procRoot,
        etcRoot: options.etcRoot,
        intervalMs: options.intervalMs,
        rescanEveryMs: options.rescanEveryMs,
        hostNames: new Map(addresses.map((a) => [a, API_SERVER_NAME])),
        hostname: hostname(),
        ...(options.kubelet === undefined
          ? {}
          : {
              containers: new KubeletPods({
                ...options.kubelet,
                onWarning: (message) => onProblem({ where: 'kubelet', message }),
              }),
            }),
      });
    }
    case 'demo':
      return new DemoActivitySource({ rate: options.rate, count: options.count, random: seededRandom(options.seed) });
  }
}
