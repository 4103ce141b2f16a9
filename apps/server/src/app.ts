/** Builds the hub: Fastify with Falco-compatible body parsing, the Nest modules, the dashboard. */
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module.js';
import { createLogger } from './common/logger.js';
import type { HarrierConfig } from './config/config.schema.js';
import { where } from './redis/redis-connection.js';
import { installBodyParsing, largestBodyLimit } from './web/body-parsing.js';
import { clientErrorHandler } from './web/client-errors.js';
import { serveDashboard } from './web/dashboard.js';
import { installSecurityHeaders } from './web/security-headers.js';
import { httpsOptions, installPlainPaths } from './web/tls-server.js';

export async function createApp(config: HarrierConfig): Promise<NestFastifyApplication> {
  const limits = { general: config.server.bodyLimit, rawText: { '/k8s-audit': config.rules.auditBodyLimit } };
  const { tls } = config.server;
  const adapter = new FastifyAdapter({
    bodyLimit: largestBodyLimit(limits),
    // falcosidekick's webui output posts to /api/v1/; the routes are declared without the slash.
    routerOptions: { ignoreTrailingSlash: true },
    logger: false,
    clientErrorHandler,
    ...(tls ? { https: httpsOptions(tls) } : {}),
  });
  installBodyParsing(adapter.getInstance(), limits);
  if (tls) installPlainPaths(adapter.getInstance(), tls, config.server.host);
  installSecurityHeaders(adapter.getInstance());

  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), adapter, {
    logger: createLogger(config.log),
    bodyParser: false,
  });
  // SIGHUP is not a stop signal here: it reloads the rules, as in Falco.
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  const logger = new Logger('Harrier');
  logStore(config, logger);
  for (const warning of config.warnings) logger.warn(`Config: ${warning}`);
  if (config.ingest.tokens.length === 0) {
    logger.warn('Ingest is open: anyone who can reach POST / and POST /k8s-audit can post alerts. Set INGEST_TOKENS.');
  } else {
    logger.log(`Ingest needs a bearer token (${config.ingest.tokens.length} accepted)`);
  }
  logTls(config, logger);
  await serveDashboard(app, config.server.webDist, logger);
  return app;
}

function logTls({ server: { tls } }: HarrierConfig, logger: Logger): void {
  if (!tls) return;
  const plain = tls.noTlsPaths.length > 0 ? `; ${tls.noTlsPaths.join(', ')} also plain on port ${tls.noTlsPort}` : '';
  logger.log(`HTTPS${tls.caFile ? ' with mutual TLS (client certificates from the CA)' : ''}${plain}`);
}

function logStore(config: HarrierConfig, logger: Logger): void {
  if (config.store.kind === 'redis') {
    logger.log(`Alert store: Redis, ${where(config.store)} (key prefix "${config.store.keyPrefix}")`);
  } else {
    logger.warn(
      `Alert store: embedded in memory, NOT persistent (last ${config.store.maxAlerts} alerts, lost on restart). Set REDIS_URL to keep alerts.`,
    );
  }
}
