/**
 * Building blocks of the output config schemas. Values come from YAML (typed) or from environment variables
 * (always strings), so booleans and numbers accept both forms.
 */
import { PRIORITIES, parsePriority, type Priority } from '@harrier/alert';
import { z } from 'zod';

/**
 * An output's config section. A YAML key written without a value (`channel:`) is null; falcosidekick reads it as
 * unset, so every key here treats null as absent (its default, or "is required").
 */
export function configSection<S extends z.ZodRawShape>(shape: S) {
  const keys = Object.keys(shape) as Array<keyof S & string>;
  const wrapped = Object.fromEntries(
    keys.map((key) => [key, z.preprocess((value) => (value === null ? undefined : value), shape[key]!)]),
  ) as { [K in keyof S]: z.ZodPipe<z.ZodTransform<unknown, unknown>, S[K]> };
  return z.object(wrapped);
}

/** A string, with "is required" when absent. */
export const requiredString = () =>
  z.string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be a string') }).trim();

const TRUE = ['true', '1', 'yes', 'on'];
const FALSE = ['false', '0', 'no', 'off'];

export const flag = (defaultValue: boolean) =>
  z
    .union([z.boolean(), z.string()], { error: 'must be true or false' })
    .transform((value, ctx) => {
      if (typeof value === 'boolean') return value;
      const lower = value.trim().toLowerCase();
      if (lower === '') return defaultValue;
      if (TRUE.includes(lower)) return true;
      if (FALSE.includes(lower)) return false;
      ctx.addIssue({ code: 'custom', message: 'must be true or false' });
      return z.NEVER;
    })
    .default(defaultValue);

export const wholeNumber = (defaultValue: number, min: number, max: number) =>
  z
    .union([z.number(), z.string()], { error: 'must be a whole number' })
    .transform((value, ctx) => {
      let n: number;
      if (typeof value === 'number') {
        n = value;
      } else {
        const digits = value.trim();
        if (digits === '') return defaultValue;
        n = /^\d+$/.test(digits) ? Number(digits) : NaN;
      }
      if (!Number.isInteger(n) || n < min || n > max) {
        ctx.addIssue({ code: 'custom', message: `must be a whole number from ${min} to ${max}` });
        return z.NEVER;
      }
      return n;
    })
    .default(defaultValue);

/** A string with surrounding blanks removed; an absent key is `''`, as falcosidekick's defaults are. */
export const text = (defaultValue = '') =>
  z
    .string({ error: 'must be a string' })
    .transform((s) => s.trim())
    .default(defaultValue);

/**
 * falcosidekick treats an empty or unknown `minimumpriority` as "everything passes", silently (and resets
 * `info` to empty). We keep empty = everything, accept `info`, and reject anything else with the valid list,
 * since a typo there otherwise floods the destination unnoticed.
 */
export const minimumPriority = z
  .string({ error: 'must be a string' })
  .optional()
  .transform((value, ctx): Priority | undefined => {
    if (value === undefined || value.trim() === '') return undefined;
    const priority = parsePriority(value);
    if (priority === undefined) {
      ctx.addIssue({
        code: 'custom',
        message: `unknown priority "${value.slice(0, 64)}"; expected one of ${PRIORITIES.map((p) => p.toLowerCase()).join(', ')} (or empty for all)`,
      });
      return z.NEVER;
    }
    return priority;
  });

export const httpUrl = requiredString()
  .min(1, { error: 'is required' })
  .refine(
    (value) => {
      if (!/^https?:\/\//i.test(value)) return false;
      try {
        new URL(value);
        return true;
      } catch {
        return false;
      }
    },
    { error: 'must be an http:// or https:// URL' },
  )
  // Credentials in it are sent as Basic authentication, percent-decoded (HttpSender).
  .refine((value) => !URL.canParse(value) || canDecode(new URL(value)), {
    error: 'has a user name or password with a bad % escape (write a literal % as %25)',
  });

function canDecode({ username, password }: URL): boolean {
  try {
    decodeURIComponent(username + password);
    return true;
  } catch {
    return false;
  }
}

/**
 * The keys every falcosidekick HTTP output has, plus our client-certificate extension keys
 * (falcosidekick reads these from the global `mutualtlsclient.*` section and `mutualtlsfilespath`).
 */
export const httpClientKeys = {
  minimumpriority: minimumPriority,
  checkcert: flag(true),
  mutualtls: flag(false),
  /**
   * Connections to the destination at once; 0 means unlimited (falcosidekick's semaphore semantics). The default
   * is 16, not falcosidekick's 1, which serialises every request to a destination behind the slowest one.
   */
  maxconcurrentrequests: wholeNumber(16, 0, 1024),
  certfile: text(),
  keyfile: text(),
  cacertfile: text(),
  mutualtlsfilespath: text('/etc/certs'),
};

export type HttpClientConfig = z.output<z.ZodObject<typeof httpClientKeys>>;
