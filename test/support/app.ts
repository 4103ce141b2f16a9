/** The hub built in-process from its source, listening on a free loopback port. */
import { createApp } from '../../apps/server/src/app.js';
import { loadConfig } from '../../apps/server/src/config/config.schema.js';
import { authDefault } from './auth.js';

export interface RunningHub {
  app: Awaited<ReturnType<typeof createApp>>;
  url: string;
  close(): Promise<void>;
}

/** `file` is the config file's content, as `-c FILE` would give it (outputs, customfields, …). */
export async function startHub(
  env: Record<string, string> = {},
  file: Record<string, unknown> = {},
): Promise<RunningHub> {
  const config = loadConfig(
    { DEMO: 'false', LOG_LEVEL: 'error', PORT: '0', HOST: '127.0.0.1', ...authDefault(env), ...env },
    file,
  );
  const app = await createApp(config);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.getHttpServer().address();
  if (address === null || typeof address === 'string') throw new Error('hub did not bind a TCP port');
  return { app, url: `http://127.0.0.1:${address.port}`, close: () => app.close() };
}
