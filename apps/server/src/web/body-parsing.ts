/**
 * Request bodies as falcosidekick reads them: any content type is JSON (curl -d sends a form type), with
 * `__proto__`/`constructor` keys rejected. Audit webhook bodies stay text (they may be JSON lines) and may be
 * larger, as Falco's k8saudit plugin allows; every other route has the general limit.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';

export interface BodyLimits {
  /** Bytes for every route but the raw-text ones. */
  general: number;
  /** Routes whose body is handed over as text, with their own limit. */
  rawText: Record<string, number>;
}

class PayloadTooLargeError extends Error {
  readonly statusCode = 413;
  readonly code = 'FST_ERR_CTP_BODY_TOO_LARGE';
  constructor(limit: number) {
    super(`Request body is too large (the limit here is ${limit} bytes)`);
  }
}

/** The path without its query, and without a trailing slash, as the router matches it (ignoreTrailingSlash). */
function routePath(request: FastifyRequest): string {
  const url = request.url;
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}

/** The server-wide body limit to give Fastify: the largest of the route limits. */
export function largestBodyLimit(limits: BodyLimits): number {
  return Math.max(limits.general, ...Object.values(limits.rawText));
}

export function installBodyParsing(fastify: FastifyInstance, limits: BodyLimits): void {
  const limitOf = (request: FastifyRequest) => limits.rawText[routePath(request)] ?? limits.general;
  // Refuse by the announced length before reading a byte.
  fastify.addHook('onRequest', (request, _reply, next) => {
    const length = Number(request.headers['content-length']);
    const limit = limitOf(request);
    next(length > limit ? new PayloadTooLargeError(limit) : undefined);
  });
  const json = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('*', { parseAs: 'string' }, (request, body, done) => {
    const text = body as string;
    const limit = limitOf(request);
    // A chunked body announces no length: measured here instead.
    if (Buffer.byteLength(text) > limit) return done(new PayloadTooLargeError(limit), undefined);
    if (routePath(request) in limits.rawText) return done(null, text);
    // Fastify's JSON parser answers through `done`; its return value carries nothing.
    void json(request, text, done);
  });
}
