/** docker-compose.yml: valid against the Compose specification and wired to things that exist. */
import { readFileSync } from 'node:fs';
import { DCLinter as UntypedLinter } from 'dclint';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../apps/server/src/config/config.schema.js';
import { readConfigFile } from '../../apps/server/src/config/config-file.js';
import { dockerfileStages } from './dockerfile.js';
import { existsInRepo, hubEnvNames, isObject, repoPath, type Json } from './repo.js';

const compose = parse(readFileSync(repoPath('docker-compose.yml'), 'utf8')) as {
  services: Record<string, Json>;
  volumes?: Json;
};
const services = compose.services;

/** dclint's bundled type declarations do not resolve under NodeNext; the part of its API used here. */
const DCLinter = UntypedLinter as unknown as new (config: {
  rules: Record<string, number>;
  quiet: boolean;
  debug: boolean;
  exclude: string[];
}) => {
  lintFiles(
    paths: string[],
    recursive: boolean,
  ): Array<{ messages: Array<{ line: number; rule: string; message: string }> }>;
};

/** A service's environment; the map form only, which keeps every name visible to these checks. */
const environment = (service: Json): Record<string, string> => {
  const env = (service['environment'] ?? {}) as unknown;
  if (Array.isArray(env)) throw new Error('write environment: as a map, not a list');
  return Object.fromEntries(Object.entries(env as Json).map(([k, v]) => [k, String(v)]));
};

/** `./host:/container[:mode]` bind mounts, as [host, container]. */
const bindMounts = (service: Json): Array<[string, string]> =>
  ((service['volumes'] as string[] | undefined) ?? [])
    .map((v) => v.split(':'))
    .filter(([source]) => source!.startsWith('.') || source!.startsWith('/'))
    .map(([source, target]) => [source!.replace(/^\.\//, ''), target!]);

const builtFromOurDockerfile = (service: Json) => service['build'] === '.' || isObject(service['build']);

function hasHealthcheck(service: Json): boolean {
  const check = service['healthcheck'] as Json | undefined;
  if (check?.['disable'] === true) return false;
  if (check?.['test'] !== undefined) return true;
  return (
    builtFromOurDockerfile(service) &&
    dockerfileStages()
      .at(-1)!
      .instructions.some((i) => i.getKeyword() === 'HEALTHCHECK')
  );
}

describe('docker-compose.yml', () => {
  it('passes dclint: the Compose specification schema and its best-practice rules', () => {
    const linter = new DCLinter({ rules: {}, quiet: false, debug: false, exclude: [] });
    const [result] = linter.lintFiles([repoPath('docker-compose.yml')], false);
    expect(result!.messages.map((m) => `${m.line}: ${m.rule}: ${m.message}`)).toEqual([]);
  });

  it('builds from Dockerfiles that exist or pulls images with explicit tags', () => {
    for (const [name, service] of Object.entries(services)) {
      if (service['build'] !== undefined) {
        const build = isObject(service['build']) ? service['build'] : { context: service['build'] };
        const dockerfile =
          `${String(build['context'])}/${(build['dockerfile'] as string | undefined) ?? 'Dockerfile'}`.replace(
            /^\.\//,
            '',
          );
        expect(existsInRepo(dockerfile), `${name}: ${dockerfile}`).toBe(true);
      } else {
        expect(String(service['image']), name).toMatch(/^[\w./-]+:[\w.-]+$/);
      }
    }
  });

  it('mounts files that exist in the repository, and named volumes that are declared', () => {
    for (const [name, service] of Object.entries(services)) {
      for (const [source] of bindMounts(service)) expect(existsInRepo(source), `${name}: ${source}`).toBe(true);
      for (const volume of (service['volumes'] as string[] | undefined) ?? []) {
        const [source] = volume.split(':');
        if (!/^[./]/.test(source!)) expect(Object.keys(compose.volumes ?? {}), name).toContain(source);
      }
    }
  });

  it('starts services after what they depend on, waiting for health where it says so', () => {
    for (const [name, service] of Object.entries(services)) {
      for (const [target, condition] of Object.entries((service['depends_on'] as Json | undefined) ?? {})) {
        expect(Object.keys(services), `${name} depends on ${target}`).toContain(target);
        if ((condition as Json)['condition'] === 'service_healthy') {
          expect(hasHealthcheck(services[target]!), `${name} waits for ${target} to be healthy`).toBe(true);
        }
      }
    }
    expect(services['harrier']!['depends_on']).toMatchObject({ redis: { condition: 'service_healthy' } });
    expect(services['sensor']!['depends_on']).toMatchObject({ harrier: { condition: 'service_healthy' } });
  });

  it('gives the hub only variables it reads and a config file it starts with, delivering to the compose services', () => {
    const hub = services['harrier']!;
    const env = environment(hub);
    const known = hubEnvNames();
    for (const name of Object.keys(env)) expect(known, name).toContain(name);
    const mount = bindMounts(hub).find(([, target]) => target === env['CONFIG_FILE']);
    expect(mount, 'CONFIG_FILE is mounted').toBeDefined();
    const config = loadConfig(env, readConfigFile(repoPath(mount![0])));
    expect(config.warnings).toEqual([]);
    expect(config.store.kind).toBe('redis');
    expect(new URL(env['REDIS_URL']!).hostname).toBe('redis');
    expect(config.outputs.map((o) => o.type).sort()).toEqual(['smtp', 'webhook']);

    const smtp = config.outputs.find((o) => o.type === 'smtp')!.config as { hostport: string };
    const [mailHost, mailPort] = smtp.hostport.split(':');
    expect(services[mailHost!]?.['image']).toMatch(/^axllent\/mailpit:/);
    expect(mailPort).toBe('1025');
    const webhook = new URL((config.outputs.find((o) => o.type === 'webhook')!.config as { address: string }).address);
    expect(Object.keys(services)).toContain(webhook.hostname);
    expect(environment(services[webhook.hostname]!)['PORT']).toBe(webhook.port);
  });

  it('runs the demo sensor against the hub service, whose port is published on localhost', () => {
    const command = services['sensor']!['command'] as string[];
    expect(command.slice(0, 3)).toEqual(['harrier-sensor', '--source', 'demo']);
    const hub = new URL(command[command.indexOf('--hub') + 1]!);
    expect(hub.hostname).toBe('harrier');
    const port = environment(services['harrier']!)['PORT'] ?? '2801';
    expect(hub.port).toBe(port);
    expect(services['harrier']!['ports']).toContain(`127.0.0.1:2801:${port}`);
    expect(services['mailpit']!['ports']).toContain('127.0.0.1:8025:8025');
  });

  it('keeps Redis data on a named volume with the append-only file on', () => {
    const redis = services['redis']!;
    expect(redis['command']).toEqual(expect.arrayContaining(['--appendonly', 'yes']));
    expect(redis['volumes']).toEqual(['redis-data:/data']);
  });
});
