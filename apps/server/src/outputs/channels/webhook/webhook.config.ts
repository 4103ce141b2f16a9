/** `webhook.*`: falcosidekick's keys (compat §7), the common HTTP client keys, and our `hmacsecret`. */
import { z } from 'zod';
import { configSection, httpClientKeys, httpUrl, text } from '../shared/config-fields.js';

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

function checkHeaders(headers: Record<string, string>, ctx: z.RefinementCtx): Record<string, string> {
  for (const [name, value] of Object.entries(headers)) {
    if (!HEADER_NAME.test(name)) {
      ctx.addIssue({ code: 'custom', message: `"${name.slice(0, 64)}" is not a valid header name` });
    } else if (/[\r\n\0]/.test(value)) {
      ctx.addIssue({ code: 'custom', message: `the value of header "${name}" must not contain CR, LF or NUL` });
    }
  }
  return headers;
}

/**
 * A YAML map, or falcosidekick's env form `Name:value,Name2:value2`. Unlike falcosidekick, an item is split on
 * its first `:` only, so `Authorization:Bearer a:b` works instead of being dropped silently.
 */
const customHeaders = z
  .union([z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])), z.string()], {
    error: 'must be a map of header names to values, or "Name:value,Name2:value2"',
  })
  .transform((input, ctx) => {
    if (typeof input !== 'string') {
      return checkHeaders(Object.fromEntries(Object.entries(input).map(([k, v]) => [k.trim(), String(v)])), ctx);
    }
    const headers: Record<string, string> = {};
    for (const [index, item] of input.split(',').entries()) {
      if (item.trim() === '') continue;
      const colon = item.indexOf(':');
      if (colon <= 0) {
        // The item is not echoed: it may be part of a secret header value that held a comma.
        ctx.addIssue({
          code: 'custom',
          message: `item ${index + 1} is not Name:value (values cannot hold commas here)`,
        });
        continue;
      }
      headers[item.slice(0, colon).trim()] = item.slice(colon + 1).trim();
    }
    return checkHeaders(headers, ctx);
  })
  .default({});

export const webhookConfigSchema = configSection({
  address: httpUrl,
  /** `PUT` in any case sends PUT; anything else POST (falcosidekick). */
  method: z
    .string({ error: 'must be a string' })
    .transform((m): 'POST' | 'PUT' => (m.trim().toUpperCase() === 'PUT' ? 'PUT' : 'POST'))
    .default('POST'),
  customheaders: customHeaders,
  /** Extension: signs each body with HMAC-SHA256 (`X-Harrier-Signature`); empty means unsigned. */
  hmacsecret: text(),
  ...httpClientKeys,
});

export type WebhookConfig = z.output<typeof webhookConfigSchema>;
