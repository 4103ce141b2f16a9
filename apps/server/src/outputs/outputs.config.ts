/**
 * Output definitions from the config file and environment: falcosidekick's `slack:`, `smtp:` and `webhook:`
 * sections (each an output named after its type, enabled by its key, with falcosidekick's env names such as
 * SLACK_WEBHOOKURL), and Harrier's `outputs:` list of named instances. Beside each output's channel keys:
 * `minimumpriority`, `route`, `exclude`, `timeout`, `attempts`, `backoff`, `maxage`, `grouping`.
 */
import { parsePriority, type Priority } from '@harrier/alert';
import { z } from 'zod';
import { parseDuration } from '../common/duration.js';
import { OUTPUT_TYPES, type OutputType } from './channels/output-channel.js';
import { compileRoute, type OutputFilter } from './routing.js';
import { httpClientKeys } from './channels/shared/config-fields.js';

export interface DeliveryPolicy {
  timeoutMs: number;
  attempts: number;
  initialBackoffMs: number;
  maxBackoffMs: number;
  /** A job older than this goes to the dead letters instead of being retried again. */
  maxAgeMs: number;
  /** Sends in flight at once per replica (non-digest outputs). */
  concurrency: number;
}

export interface GroupingPolicy {
  /** After a message, alerts arriving within this window are sent together as one digest; 0 sends each alert. */
  windowMs: number;
  maxAlerts: number;
}

export interface OutputDefinition {
  name: string;
  type: OutputType;
  /** The channel's own keys, as its schema parsed them. */
  config: Record<string, unknown>;
  filter: OutputFilter;
  delivery: DeliveryPolicy;
  grouping: GroupingPolicy;
}

/** What the outputs config needs to know of each channel type. */
export interface ChannelSpec {
  schema: z.ZodObject;
  /** Whether a falcosidekick section turns the output on (e.g. a non-empty `webhookurl`). */
  isEnabled(section: Record<string, unknown>): boolean;
}

const DEFAULT_GROUPING: Record<OutputType, GroupingPolicy> = {
  // Slack takes about one message per second per webhook; email readers want few mails.
  slack: { windowMs: 10_000, maxAlerts: 500 },
  smtp: { windowMs: 60_000, maxAlerts: 500 },
  webhook: { windowMs: 0, maxAlerts: 1 },
};

const duration = z.union([z.string(), z.number()]).transform((value, ctx) => {
  const ms = parseDuration(value);
  if (ms === undefined) {
    ctx.addIssue({ code: 'custom', message: `"${value}" is not a duration such as 500ms, 10s, 5m, 1h` });
    return z.NEVER;
  }
  return ms;
});

const priority = z.string().transform((value, ctx): Priority | undefined => {
  if (value.trim() === '') return undefined;
  const p = parsePriority(value);
  if (p === undefined) {
    ctx.addIssue({ code: 'custom', message: `"${value}" is not a priority (debug … emergency)` });
    return z.NEVER;
  }
  return p;
});

const stringList = z.union([
  z.string().transform((s) =>
    s
      .split(',')
      .map((v) => v.trim())
      .filter(Boolean),
  ),
  z.array(z.string()),
]);

const routeSchema = z
  .object({
    rules: stringList.optional(),
    tags: stringList.optional(),
    sources: stringList.optional(),
    namespaces: stringList.optional(),
    pods: stringList.optional(),
  })
  .strict();

const commonSchema = z.object({
  minimumpriority: priority.optional(),
  route: routeSchema.optional(),
  exclude: routeSchema.optional(),
  timeout: duration.default(10_000),
  attempts: z.coerce.number().int().min(1).max(1000).default(12),
  backoff: z
    .object({ initial: duration.default(1_000), max: duration.default(300_000) })
    .strict()
    .default({ initial: 1_000, max: 300_000 }),
  maxage: duration.default(24 * 3_600_000),
  grouping: z
    .object({ window: duration.optional(), maxalerts: z.coerce.number().int().min(1).max(10_000).optional() })
    .strict()
    .optional(),
});

const COMMON_KEYS = new Set(Object.keys(commonSchema.shape));

/** falcosidekick's env names for a section key: `slack.webhookurl` → SLACK_WEBHOOKURL. */
function envName(section: string, key: string): string {
  return `${section}_${key}`.toUpperCase();
}

/** Env values are strings; give each the type its schema key expects (`k:v,k:v` maps as falcosidekick writes them). */
function fromEnv(value: string, field: z.ZodType | undefined): unknown {
  let inner: z.ZodType | undefined = field;
  while (inner && (inner instanceof z.ZodDefault || inner instanceof z.ZodOptional)) {
    inner = inner.unwrap() as z.ZodType;
  }
  if (inner instanceof z.ZodBoolean) return ['true', '1', 'yes', 'on'].includes(value.trim().toLowerCase());
  if (inner instanceof z.ZodNumber) return Number(value);
  if (inner instanceof z.ZodRecord) return parseKeyValueList(value);
  return value;
}

/** `k:v,k2:v2`; unlike falcosidekick, a value may hold `:` (split at the first one only). */
export function parseKeyValueList(value: string): Record<string, string> {
  const map: Record<string, string> = {};
  for (const item of value.split(',')) {
    const at = item.indexOf(':');
    if (at <= 0) continue;
    map[item.slice(0, at).trim()] = item.slice(at + 1).trim();
  }
  return map;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function formatIssues(where: string, error: z.ZodError): string[] {
  return error.issues.map((issue) => `${[where, ...issue.path.map(String)].join('.')}: ${issue.message}`);
}

/** Sends in flight per replica: the channel's connection limit (HTTP outputs; 0 = unlimited), else 16. */
function workerConcurrency(config: Record<string, unknown>): number {
  const limit = config['maxconcurrentrequests'];
  if (typeof limit !== 'number') return 16;
  return limit === 0 ? 256 : limit;
}

/** Top-level keys of a falcosidekick config that are not outputs, or are Harrier's own. */
const NOT_OUTPUTS = new Set([
  'listenaddress',
  'listenport',
  'debug',
  'customfields',
  'customtags',
  'templatedfields',
  'bracketreplacer',
  'outputfieldformat',
  'mutualtlsfilespath',
  'mutualtlsclient',
  'tlsclient',
  'tlsserver',
  'prometheus',
  'outputs',
]);

/**
 * falcosidekick's client TLS settings for every HTTP output: `mutualtlsclient.{certfile,keyfile,cacertfile}` and
 * `mutualtlsfilespath` (for `mutualtls`), `tlsclient.cacertfile` (an extra CA, without it), from the file or the
 * environment (MUTUALTLSCLIENT_CERTFILE, …, TLSCLIENT_CACERTFILE).
 */
interface ClientTls {
  certfile: string;
  keyfile: string;
  mutualCa: string;
  extraCa: string;
  filesPath: string;
}

/** How an output's `mutualtls` reads (its schema's own parser). */
const MUTUAL_TLS = httpClientKeys.mutualtls;

function globalClientTls(file: Record<string, unknown>, env: NodeJS.ProcessEnv): ClientTls {
  const section = (key: string) => (isRecord(file[key]) ? file[key] : {});
  const setting = (variable: string, value: unknown) => env[variable] || (typeof value === 'string' ? value : '');
  const mutual = section('mutualtlsclient');
  return {
    certfile: setting('MUTUALTLSCLIENT_CERTFILE', mutual['certfile']),
    keyfile: setting('MUTUALTLSCLIENT_KEYFILE', mutual['keyfile']),
    mutualCa: setting('MUTUALTLSCLIENT_CACERTFILE', mutual['cacertfile']),
    extraCa: setting('TLSCLIENT_CACERTFILE', section('tlsclient')['cacertfile']),
    filesPath: setting('MUTUALTLSFILESPATH', file['mutualtlsfilespath']),
  };
}

/** An HTTP output's TLS keys from the global ones when it sets none of its own; other outputs as they are. */
function withClientTls(
  raw: Record<string, unknown>,
  tls: ClientTls,
  shape: Record<string, unknown>,
): Record<string, unknown> {
  const keys = ['certfile', 'keyfile', 'cacertfile', 'mutualtlsfilespath'];
  if (!('mutualtlsfilespath' in shape) || keys.some((key) => raw[key] !== undefined && raw[key] !== '')) return raw;
  const mutual = MUTUAL_TLS.safeParse(raw['mutualtls']).data === true;
  // One CA file per output: with mutualtls the client settings' (else `<mutualtlsfilespath>/ca.crt`), without it the
  // extra one. (falcosidekick puts both in one pool.)
  const defaults = {
    certfile: tls.certfile,
    keyfile: tls.keyfile,
    cacertfile: mutual ? tls.mutualCa : tls.extraCa,
    mutualtlsfilespath: tls.filesPath,
  };
  return { ...raw, ...Object.fromEntries(Object.entries(defaults).filter(([, value]) => value !== '')) };
}

/** falcosidekick settings Harrier does not implement, with their environment variables: named at start, not dropped silently. */
const UNSUPPORTED = [
  ['bracketreplacer', 'BRACKETREPLACER'],
  ['outputfieldformat', 'OUTPUTFIELDFORMAT'],
] as const;

export function parseOutputs(
  file: Record<string, unknown>,
  env: NodeJS.ProcessEnv,
  specs: Record<OutputType, ChannelSpec>,
): { outputs: OutputDefinition[]; issues: string[]; warnings: string[] } {
  const issues: string[] = [];
  const warnings: string[] = [];
  for (const key of Object.keys(file)) {
    if (!NOT_OUTPUTS.has(key) && !(OUTPUT_TYPES as readonly string[]).includes(key)) {
      warnings.push(`${key}: not an output Harrier has (slack, smtp, webhook); ignored`);
    }
  }
  for (const [key, variable] of UNSUPPORTED) {
    if ((file[key] !== undefined && file[key] !== '') || env[variable]) {
      warnings.push(`${key} (${variable}): falcosidekick's enrichment option, not supported by Harrier; ignored`);
    }
  }
  const outputs: OutputDefinition[] = [];
  const names = new Set<string>();
  const clientTls = globalClientTls(file, env);

  const build = (where: string, name: string, type: OutputType, raw: Record<string, unknown>) => {
    if (names.has(name)) {
      issues.push(`${where}.name: "${name}" is already the name of another output`);
      return;
    }
    names.add(name);
    const known = new Set([...COMMON_KEYS, ...Object.keys(specs[type].schema.shape)]);
    for (const key of Object.keys(raw)) {
      if (!known.has(key)) warnings.push(`${where}.${key}: unknown key; ignored`);
    }
    const channelRaw = withClientTls(
      Object.fromEntries(Object.entries(raw).filter(([key]) => !COMMON_KEYS.has(key))),
      clientTls,
      specs[type].schema.shape,
    );
    const common = commonSchema.safeParse(
      Object.fromEntries(Object.entries(raw).filter(([key]) => COMMON_KEYS.has(key))),
    );
    const channel = specs[type].schema.safeParse(channelRaw);
    if (!common.success) issues.push(...formatIssues(where, common.error));
    if (!channel.success) issues.push(...formatIssues(where, channel.error));
    if (!common.success || !channel.success) return;
    const c = common.data;
    const grouping = DEFAULT_GROUPING[type];
    outputs.push({
      name,
      type,
      config: channel.data,
      filter: {
        minimumPriority: c.minimumpriority,
        route: compileRoute(c.route ?? {}),
        exclude: c.exclude ? compileRoute(c.exclude) : undefined,
      },
      delivery: {
        timeoutMs: c.timeout,
        attempts: c.attempts,
        initialBackoffMs: c.backoff.initial,
        maxBackoffMs: c.backoff.max,
        maxAgeMs: c.maxage,
        concurrency: workerConcurrency(channel.data),
      },
      grouping:
        type === 'webhook'
          ? grouping
          : {
              windowMs: c.grouping?.window ?? grouping.windowMs,
              maxAlerts: c.grouping?.maxalerts ?? grouping.maxAlerts,
            },
    });
  };

  for (const type of OUTPUT_TYPES) {
    const fromFile = file[type];
    if (fromFile !== undefined && fromFile !== null && !isRecord(fromFile)) {
      issues.push(`${type}: must be a map of keys`);
      continue;
    }
    const section: Record<string, unknown> = { ...(fromFile ?? {}) };
    const shape: Record<string, z.ZodType> = { ...commonSchema.shape, ...specs[type].schema.shape };
    for (const key of Object.keys(shape)) {
      const value = env[envName(type, key)];
      if (value !== undefined && value !== '') section[key] = fromEnv(value, shape[key]);
    }
    if (specs[type].isEnabled(section)) build(type, type, type, section);
  }

  const instances = file['outputs'];
  if (instances !== undefined && !Array.isArray(instances)) {
    issues.push('outputs: must be a list of outputs, each with a name and a type');
  } else {
    (instances ?? []).forEach((item: unknown, i: number) => {
      const where = `outputs[${i}]`;
      if (!isRecord(item)) return issues.push(`${where}: must be a map with name and type`);
      const { name, type, ...rest } = item;
      if (typeof name !== 'string' || !/^[a-z0-9][a-z0-9_-]{0,62}$/i.test(name)) {
        return issues.push(`${where}.name: must be 1-63 letters, digits, - or _`);
      }
      if (typeof type !== 'string' || !(OUTPUT_TYPES as readonly string[]).includes(type)) {
        return issues.push(`${where}.type: must be one of ${OUTPUT_TYPES.join(', ')}`);
      }
      build(where, name, type as OutputType, rest);
    });
  }
  return { outputs, issues, warnings };
}
