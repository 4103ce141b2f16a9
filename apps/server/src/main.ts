import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createApp } from './app.js';
import { ConfigError, loadConfig } from './config/config.schema.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`harrier: ${error.message}\n`);
    process.exit(2);
  }
  const app = await createApp(config);
  await app.listen({ port: config.server.port, host: config.server.host });
  new Logger('Harrier').log(
    `Hub listening on http://${config.server.host}:${config.server.port} (dashboard at /, Falco http_output url: /)`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(
    `harrier: failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
