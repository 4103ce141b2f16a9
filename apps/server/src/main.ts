import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createApp } from './app.js';
import { readConfigFile } from './config/config-file.js';
import { ConfigError, loadConfig } from './config/config.schema.js';

const USAGE = `Usage: harrier [-c FILE]

Starts the Harrier hub: Falco alert ingest (POST /), the dashboard and API, delivery to outputs.

Options:
  -c, --config-file FILE  YAML config (falcosidekick's keys: slack, smtp, webhook, customfields,
                          templatedfields, customtags, mutualtlsclient, tlsclient, plus outputs:). Also
                          CONFIG_FILE. Environment variables override the file.
  -h, --help              Show this help.

Environment: PORT, HOST, REDIS_URL, REDIS_KEY_PREFIX, PUBLIC_URL, DEMO, LOG_LEVEL, LOG_FORMAT, … (see README).
`;

function configFilePath(argv: string[]): string | undefined {
  const at = argv.findIndex((a) => a === '-c' || a === '--config-file');
  if (at >= 0) {
    const path = argv[at + 1];
    if (!path) throw new ConfigError(`${argv[at]} needs a file path`);
    return path;
  }
  const inline = argv.find((a) => a.startsWith('--config-file='));
  return inline?.slice('--config-file='.length) ?? (process.env['CONFIG_FILE'] || undefined);
}

async function main(argv: string[]): Promise<void> {
  if (argv.includes('-h') || argv.includes('--help')) {
    process.stdout.write(USAGE);
    return;
  }
  let config;
  try {
    const file = configFilePath(argv);
    config = loadConfig(process.env, file ? readConfigFile(file) : {});
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`harrier: ${error.message}\n`);
    process.exit(2);
  }
  const app = await createApp(config);
  await app.listen({ port: config.server.port, host: config.server.host });
  new Logger('Harrier').log(
    `Hub listening on ${config.server.tls ? 'https' : 'http'}://${config.server.host}:${config.server.port} (dashboard at /, Falco http_output url: /)`,
  );
}

// A failure nobody awaited (a library's background work) is logged, not allowed to take the hub down.
process.on('unhandledRejection', (reason) => {
  new Logger('Harrier').error(
    `Unhandled rejection: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`,
  );
});

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(
    `harrier: failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
