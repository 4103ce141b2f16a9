/** Environment variables the hub reads, validated once at boot into a typed object. */
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parsePriority, type Priority } from '@harrier/alert';
import { DEFAULT_RULES_FILE } from '@harrier/engine';
import { z } from 'zod';
import type { DocumentFormat } from '../alerts/alert-codec.js';
import { parseDuration } from '../common/duration.js';
import { CHANNEL_SPECS } from '../outputs/channel-specs.js';
import { compileGoTemplate, TemplateError } from '../common/go-template.js';
import { maskUrlText } from '../common/mask-url.js';
import { parseKeyValueList, parseOutputs, type OutputDefinition } from '../outputs/outputs.config.js';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'], {
    error: 'must be true or false',
  })
  .transform((v) => ['true', '1', 'yes', 'on'].includes(v));

const int = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, { error: 'must be a whole number' })
    .transform(Number)
    .pipe(
      z
        .number()
        .min(min, { error: `must be at least ${min}` })
        .max(max, { error: `must be at most ${max}` }),
    );

/** `a, b,,c` → `['a', 'b', 'c']`. */
const commaList = z.string().transform((list) =>
  list
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean),
);

const durationMs = (message: string) =>
  z.string().transform((value, ctx) => {
    const ms = parseDuration(value);
    if (ms === undefined || ms <= 0) {
      ctx.addIssue({ code: 'custom', message });
      return z.NEVER;
    }
    return ms;
  });

const defaultWebDist = fileURLToPath(new URL('../../../web/dist', import.meta.url));

export const envSchema = z.object({
  PORT: int(0, 65535).default(2801),
  HOST: z.string().min(1).default('0.0.0.0'),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, { error: 'must start with redis:// or rediss://' })
    .optional(),
  REDIS_KEY_PREFIX: z.string().default('harrier:'),
  REDIS_SENTINELS: z
    .string()
    .transform((list, ctx) =>
      list
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean)
        .map((item) => {
          const m = /^(.+):(\d{1,5})$/.exec(item);
          if (!m) ctx.addIssue({ code: 'custom', message: `"${item}" is not host:port` });
          return { host: m?.[1] ?? '', port: Number(m?.[2] ?? 0) };
        }),
    )
    .optional(),
  REDIS_SENTINEL_MASTER: z.string().min(1).default('mymaster'),
  ALERT_DOCUMENT_FORMAT: z.enum(['zstd', 'deflate'], { error: 'must be zstd or deflate' }).default('zstd'),
  BODY_LIMIT: int(1024, 64 * 1024 * 1024).default(1024 * 1024),
  MEMORY_MAX_ALERTS: int(1, 10_000_000).default(50_000),
  RETENTION_MAX_AGE: durationMs('must be a duration such as 12h, 7d or 30d').default(7 * 86_400_000),
  RETENTION_MAX_ALERTS: int(1, 1_000_000_000).default(1_000_000),
  RULES_FILES: commaList.default([DEFAULT_RULES_FILE]),
  RULE_MATCHING: z.enum(['first', 'all'], { error: 'must be first or all' }).default('first'),
  RULES_MIN_PRIORITY: z
    .string()
    .transform((value, ctx) => {
      const p = parsePriority(value);
      if (p === undefined) {
        ctx.addIssue({ code: 'custom', message: 'must be a priority (debug … emergency)' });
        return z.NEVER;
      }
      return p;
    })
    .default('Debug'),
  INGEST_TOKENS: commaList
    .pipe(z.array(z.string().min(16, { error: 'each token must be at least 16 characters' })))
    .optional(),
  AUDIT_BODY_LIMIT: int(1024, 256 * 1024 * 1024).default(12 * 1024 * 1024),
  DEMO: bool.optional(),
  DEMO_RATE: z
    .string()
    .regex(/^\d+(\.\d+)?$/, { error: 'must be a number of alerts per second' })
    .transform(Number)
    .pipe(z.number().positive({ error: 'must be more than 0 (use DEMO=false to turn the demo off)' }))
    .default(2),
  LOG_LEVEL: z
    .enum(['debug', 'info', 'warn', 'error'], { error: 'must be debug, info, warn or error' })
    .default('info'),
  LOG_FORMAT: z.enum(['json', 'text'], { error: 'must be json or text' }).default('json'),
  WEB_DIST: z.string().default(defaultWebDist),
  HARRIER_INSTANCE: z
    .string()
    .regex(/^[\w.:-]{1,100}$/, { error: 'must be 1-100 letters, digits, . : _ or -' })
    .optional(),
  PUBLIC_URL: z.url({ error: 'must be the http(s) URL people open the dashboard at' }).optional(),
  AUTH: z.enum(['enabled', 'disabled'], { error: 'must be enabled or disabled' }).default('enabled'),
  AUTH_USERS: z.string().optional(),
  AUTH_USERS_FILE: z.string().min(1).optional(),
  SESSION_TTL: durationMs('must be a duration such as 30m, 12h or 7d').default(12 * 3_600_000),
  LOGIN_MAX_FAILURES: int(1, 1000).default(10),
  LOGIN_FAILURE_WINDOW: durationMs('must be a duration such as 15m').default(15 * 60_000),
  TLSSERVER_DEPLOY: bool.default(false),
  TLSSERVER_CERTFILE: z.string().min(1).default('/etc/certs/server/server.crt'),
  TLSSERVER_KEYFILE: z.string().min(1).default('/etc/certs/server/server.key'),
  TLSSERVER_MUTUALTLS: bool.default(false),
  TLSSERVER_CACERTFILE: z.string().min(1).default('/etc/certs/server/ca.crt'),
  TLSSERVER_NOTLSPORT: int(1, 65535).default(2810),
  TLSSERVER_NOTLSPATHS: commaList
    .pipe(z.array(z.string().regex(/^\/[\w./-]*$/, { error: 'each path must start with / (e.g. /healthz,/metrics)' })))
    .optional(),
});

export interface HarrierConfig {
  server: {
    port: number;
    host: string;
    bodyLimit: number;
    webDist: string;
    publicUrl: string | undefined;
    /** This replica's name in delivery consumer groups; stable across restarts so it resumes its own jobs. */
    instance: string;
    /**
     * falcosidekick's `tlsserver`: HTTPS (mutual TLS with `caFile`) on PORT; `noTlsPaths` (e.g. /healthz,
     * /metrics for probes and scrapers) also served plain on `noTlsPort`.
     */
    tls?: {
      certFile: string;
      keyFile: string;
      caFile: string | undefined;
      noTlsPort: number;
      noTlsPaths: string[];
    };
  };
  store:
    | {
        kind: 'redis';
        url: string;
        keyPrefix: string;
        sentinels?: { host: string; port: number }[];
        sentinelMaster: string;
        /** How new alert documents are written; both formats are always read. */
        documentFormat: DocumentFormat;
      }
    | { kind: 'memory'; maxAlerts: number };
  /** Bearer tokens ingest requires (secrets: never logged or returned); none means ingest is open. */
  ingest: { tokens: string[] };
  /** The rules `POST /k8s-audit` evaluates audit events with. */
  rules: { files: string[]; ruleMatching: 'first' | 'all'; minPriority: Priority; auditBodyLimit: number };
  /** Alerts older than maxAgeMs (by their time) or beyond the newest maxAlerts are trimmed. */
  retention: { maxAgeMs: number; maxAlerts: number };
  demo: { enabled: boolean; ratePerSecond: number };
  log: { level: 'debug' | 'info' | 'warn' | 'error'; format: 'json' | 'text' };
  /**
   * falcosidekick's enrichment: fields written into every alert's output_fields, then fields rendered from Go
   * templates over those output fields, tags appended to its tags.
   */
  enrichment: { customFields: Record<string, string>; templatedFields: Record<string, string>; customTags: string[] };
  outputs: OutputDefinition[];
  /**
   * Login for the dashboard and API. `users` are htpasswd lines (bcrypt) from AUTH_USERS and AUTH_USERS_FILE;
   * none means a generated admin password (see auth/).
   */
  auth: {
    enabled: boolean;
    users: string;
    usersFile: string | undefined;
    sessionTtlMs: number;
    login: { maxFailures: number; windowMs: number };
  };
  /** Config the hub ignores (unknown keys, outputs it does not have), logged at start. */
  warnings: string[];
}

/** Variables whose values never appear in messages. */
const SECRET_VARIABLES = new Set(['INGEST_TOKENS', 'AUTH_USERS']);

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

const fileSchema = z.object({
  listenaddress: z.string().optional(),
  listenport: z.union([z.number(), z.string()]).optional(),
  customfields: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]).transform(String)).optional(),
  customtags: z.union([z.array(z.string()), z.string().transform((s) => s.split(','))]).optional(),
  templatedfields: z.record(z.string(), z.string({ error: 'must be a template string' })).optional(),
  tlsserver: z
    .object({
      deploy: z.union([z.boolean(), z.string()]).transform(String),
      certfile: z.string(),
      keyfile: z.string(),
      mutualtls: z.union([z.boolean(), z.string()]).transform(String),
      cacertfile: z.string(),
      notlsport: z.union([z.number(), z.string()]).transform(String),
      notlspaths: z.union([z.array(z.string()).transform((l) => l.join(',')), z.string()]),
    })
    .partial()
    .optional(),
});

/**
 * Reads the environment and the (already parsed) config file into one typed config; the environment wins,
 * as in falcosidekick. Throws one ConfigError naming every bad variable and key.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, file: Record<string, unknown> = {}): HarrierConfig {
  const fromFile = fileSchema.safeParse(file);
  const fileValues = fromFile.success ? fromFile.data : {};
  const withFallbacks: NodeJS.ProcessEnv = {
    // falcosidekick's names (the file's keys, upper-cased, in the environment); HOST and PORT win over them.
    HOST: env['LISTENADDRESS'] || fileValues.listenaddress || undefined,
    PORT: env['LISTENPORT'] || (fileValues.listenport === undefined ? undefined : String(fileValues.listenport)),
    TLSSERVER_DEPLOY: fileValues.tlsserver?.deploy,
    TLSSERVER_CERTFILE: fileValues.tlsserver?.certfile,
    TLSSERVER_KEYFILE: fileValues.tlsserver?.keyfile,
    TLSSERVER_MUTUALTLS: fileValues.tlsserver?.mutualtls,
    TLSSERVER_CACERTFILE: fileValues.tlsserver?.cacertfile,
    TLSSERVER_NOTLSPORT: fileValues.tlsserver?.notlsport,
    TLSSERVER_NOTLSPATHS: fileValues.tlsserver?.notlspaths,
    ...Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== '')),
  };
  const present = Object.fromEntries(
    Object.keys(envSchema.shape)
      .filter((key) => withFallbacks[key] !== undefined && withFallbacks[key] !== '')
      .map((key) => [key, withFallbacks[key]]),
  );
  const parsed = envSchema.safeParse(present);
  const bad: string[] = [];
  if (!parsed.success) {
    bad.push(
      ...parsed.error.issues.map((issue) => {
        const key = String(issue.path[0]);
        const value = withFallbacks[key] ?? '';
        const shown = key === 'REDIS_URL' ? maskUrl(value) : SECRET_VARIABLES.has(key) ? '(secret)' : value;
        return `${key}=${JSON.stringify(shown)} (${issue.message})`;
      }),
    );
  }
  if (!fromFile.success) {
    bad.push(...fromFile.error.issues.map((issue) => `${issue.path.map(String).join('.')}: ${issue.message}`));
  }
  const { outputs, issues, warnings } = parseOutputs(file, env, CHANNEL_SPECS);
  bad.push(...issues);
  const templatedFields = {
    ...(fileValues.templatedfields ?? {}),
    ...parseKeyValueList(env['TEMPLATEDFIELDS'] ?? ''),
  };
  for (const [key, source] of Object.entries(templatedFields)) {
    try {
      compileGoTemplate(source);
    } catch (error) {
      if (!(error instanceof TemplateError)) throw error;
      bad.push(`templatedfields.${key}: invalid template: ${error.message}`);
    }
  }
  if (!parsed.success || bad.length > 0) throw new ConfigError(`Invalid configuration: ${bad.join('; ')}`);

  const e = parsed.data;
  const customFields = {
    ...(fileValues.customfields ?? {}),
    ...fromOtherVariables(parseKeyValueList(env['CUSTOMFIELDS'] ?? ''), env),
  };
  const customTags = (env['CUSTOMTAGS'] ? env['CUSTOMTAGS'].split(',') : (fileValues.customtags ?? []))
    .map((t) => t.trim())
    .filter(Boolean);
  return {
    server: {
      port: e.PORT,
      host: e.HOST,
      bodyLimit: e.BODY_LIMIT,
      webDist: path.resolve(e.WEB_DIST),
      instance: e.HARRIER_INSTANCE ?? `${os.hostname()}-${e.PORT || process.pid}`,
      publicUrl: e.PUBLIC_URL?.replace(/\/+$/, ''),
      ...(e.TLSSERVER_DEPLOY
        ? {
            tls: {
              certFile: path.resolve(e.TLSSERVER_CERTFILE),
              keyFile: path.resolve(e.TLSSERVER_KEYFILE),
              caFile: e.TLSSERVER_MUTUALTLS ? path.resolve(e.TLSSERVER_CACERTFILE) : undefined,
              noTlsPort: e.TLSSERVER_NOTLSPORT,
              // falcosidekick's default when tlsserver is deployed: none. Probes need them listed.
              noTlsPaths: e.TLSSERVER_NOTLSPATHS ?? [],
            },
          }
        : {}),
    },
    store: e.REDIS_URL
      ? {
          kind: 'redis',
          url: e.REDIS_URL,
          keyPrefix: e.REDIS_KEY_PREFIX,
          ...(e.REDIS_SENTINELS ? { sentinels: e.REDIS_SENTINELS } : {}),
          sentinelMaster: e.REDIS_SENTINEL_MASTER,
          documentFormat: e.ALERT_DOCUMENT_FORMAT,
        }
      : { kind: 'memory', maxAlerts: e.MEMORY_MAX_ALERTS },
    retention: { maxAgeMs: e.RETENTION_MAX_AGE, maxAlerts: e.RETENTION_MAX_ALERTS },
    ingest: { tokens: e.INGEST_TOKENS ?? [] },
    rules: {
      files: e.RULES_FILES.map((f) => path.resolve(f)),
      ruleMatching: e.RULE_MATCHING,
      minPriority: e.RULES_MIN_PRIORITY,
      auditBodyLimit: e.AUDIT_BODY_LIMIT,
    },
    // The demo trickle is the zero-config first-run experience; with Redis it must be asked for.
    demo: { enabled: e.DEMO ?? !e.REDIS_URL, ratePerSecond: e.DEMO_RATE },
    log: { level: e.LOG_LEVEL, format: e.LOG_FORMAT },
    enrichment: { customFields, templatedFields, customTags },
    outputs,
    auth: {
      enabled: e.AUTH === 'enabled',
      users: e.AUTH_USERS ?? '',
      usersFile: e.AUTH_USERS_FILE === undefined ? undefined : path.resolve(e.AUTH_USERS_FILE),
      sessionTtlMs: e.SESSION_TTL,
      login: { maxFailures: e.LOGIN_MAX_FAILURES, windowMs: e.LOGIN_FAILURE_WINDOW },
    },
    warnings,
  };
}

/** falcosidekick's `%VAR` in the CUSTOMFIELDS variable: the value of the environment variable VAR (left out if unset). */
function fromOtherVariables(fields: Record<string, string>, env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(
    Object.entries(fields).flatMap(([key, value]) => {
      if (!value.startsWith('%')) return [[key, value]];
      const other = env[value.slice(1)];
      return other === undefined ? [] : [[key, other]];
    }),
  );
}

/** A Redis URL for logs and error messages: its password and query values (ioredis takes `?password=`) masked. */
export function maskUrl(url: string): string {
  return maskUrlText(url, { mask: '***', user: 'keep' }) ?? '(unparseable URL)';
}
