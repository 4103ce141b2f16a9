/** Serves the built dashboard (apps/web/dist) at `/`, with index.html for client-side routes. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

const NOT_THE_DASHBOARD = /^\/(api|socket\.io)(\/|$)/;

export async function serveDashboard(app: NestFastifyApplication, webDist: string, logger: Logger): Promise<void> {
  const fastify = app.getHttpAdapter().getInstance();
  if (!existsSync(path.join(webDist, 'index.html'))) {
    logger.warn(`Dashboard not built (no ${webDist}/index.html): run "pnpm build". The API works without it.`);
    fastify.get('/', (_request, reply) =>
      reply
        .type('text/plain; charset=utf-8')
        .send('Harrier hub is running. The dashboard is not built: run "pnpm build".\n'),
    );
    return;
  }
  await fastify.register(fastifyStatic, {
    root: webDist,
    wildcard: false,
    setHeaders: (res, file) => {
      // Vite fingerprints assets, so they never change; index.html must always be revalidated.
      res.header(
        'cache-control',
        file.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
    },
  });
  fastify.get('/*', (request, reply) =>
    NOT_THE_DASHBOARD.test(request.url) ? reply.callNotFound() : reply.sendFile('index.html'),
  );
}
