/** Environment variables the hub reads, validated once at boot into a typed object. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

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

const defaultWebDist = fileURLToPath(new URL('../../../web/dist', import.meta.url));

export const envSchema = z.object({
  PORT: int(0, 65535).default(2801),
  HOST: z.string().min(1).default('0.0.0.0'),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, { error: 'must start with redis:// or rediss://' })
    .optional(),
  REDIS_KEY_PREFIX: z.string().default('harrier:'),
  BODY_LIMIT: int(1024, 64 * 1024 * 1024).default(1024 * 1024),
  MEMORY_MAX_ALERTS: int(1, 10_000_000).default(50_000),
  DEMO: bool.optional(),
  DEMO_RATE: z
    .string()
    .regex(/^\d+(\.\d+)?$/, { error: 'must be a number of alerts per second' })
    .transform(Number)
    .pipe(z.number().positive({ error: 'must be more than 0 (use DEMO=false to turn the demo off)' }))
    .default(0.5),
  LOG_LEVEL: z
    .enum(['debug', 'info', 'warn', 'error'], { error: 'must be debug, info, warn or error' })
    .default('info'),
  LOG_FORMAT: z.enum(['json', 'text'], { error: 'must be json or text' }).default('json'),
  WEB_DIST: z.string().default(defaultWebDist),
});

export interface HarrierConfig {
  server: { port: number; host: string; bodyLimit: number; webDist: string };
  store: { kind: 'redis'; url: string; keyPrefix: string } | { kind: 'memory'; maxAlerts: number };
  demo: { enabled: boolean; ratePerSecond: number };
  log: { level: 'debug' | 'info' | 'warn' | 'error'; format: 'json' | 'text' };
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Parses the environment; throws one ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): HarrierConfig {
  const present = Object.fromEntries(
    Object.keys(envSchema.shape)
      .filter((key) => env[key] !== undefined && env[key] !== '')
      .map((key) => [key, env[key]]),
  );
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    const bad = parsed.error.issues.map((issue) => {
      const key = String(issue.path[0]);
      return `${key}=${JSON.stringify(key === 'REDIS_URL' ? maskUrl(env[key] ?? '') : env[key])} (${issue.message})`;
    });
    throw new ConfigError(`Invalid environment variables: ${bad.join(', ')}`);
  }
  const e = parsed.data;
  return {
    server: { port: e.PORT, host: e.HOST, bodyLimit: e.BODY_LIMIT, webDist: path.resolve(e.WEB_DIST) },
    store: e.REDIS_URL
      ? { kind: 'redis', url: e.REDIS_URL, keyPrefix: e.REDIS_KEY_PREFIX }
      : { kind: 'memory', maxAlerts: e.MEMORY_MAX_ALERTS },
    // The demo trickle is the zero-config first-run experience; with Redis it must be asked for.
    demo: { enabled: e.DEMO ?? !e.REDIS_URL, ratePerSecond: e.DEMO_RATE },
    log: { level: e.LOG_LEVEL, format: e.LOG_FORMAT },
  };
}

/** A URL with its password (and user) replaced, for logs and error messages. */
export function maskUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable URL)';
  }
}
