/** Dockerfile and .dockerignore: lint clean, build from files that exist, run the hub safely. */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { validate } from 'dockerfile-utils';
import { describe, expect, it } from 'vitest';
import { dockerfileStages, isDockerIgnored, splitFlags, type Stage } from './dockerfile.js';
import { existsInRepo, readRepoFile, readYaml, type Json } from './repo.js';

const stages = dockerfileStages();
const runtime = stages.at(-1)!;
const build = stages.find((s) => s.name === 'build')!;
const instructions = (stage: Stage, keyword: string) => stage.instructions.filter((i) => i.getKeyword() === keyword);
const runtimeEnv = new Map(
  instructions(runtime, 'ENV').flatMap((i) =>
    i
      .getArguments()
      .map((a) => a.getValue())
      .map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)] as const),
  ),
);

/** Workspace packages (pnpm-workspace.yaml `packages:` globs of the form dir/*, or a dir). */
function workspacePackages(): string[] {
  const globs = (readYaml('pnpm-workspace.yaml') as { packages: string[] }).packages;
  return globs.flatMap((glob) =>
    glob.endsWith('/*')
      ? readdirSync(glob.slice(0, -2), { withFileTypes: true })
          .filter((e) => e.isDirectory() && existsInRepo(`${glob.slice(0, -2)}/${e.name}/package.json`))
          .map((e) => `${glob.slice(0, -2)}/${e.name}`)
      : [glob],
  );
}

describe('Dockerfile', () => {
  it('lints clean with dockerfile-utils', () => {
    const problems = validate(readRepoFile('Dockerfile'));
    expect(
      problems.map((p) => `${p.range.start.line + 1}: ${typeof p.message === 'string' ? p.message : p.message.value}`),
    ).toEqual([]);
  });

  it('builds on Node 22 LTS slim in every stage', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const stage of stages) expect(stage.image).toBe('node:22-slim');
  });

  it('copies only files that exist and that .dockerignore lets into the build context', () => {
    for (const stage of stages) {
      for (const copy of instructions(stage, 'COPY')) {
        const { flags, args } = splitFlags(copy);
        if (flags.has('from')) {
          expect(
            stages.map((s) => s.name),
            'COPY --from a stage',
          ).toContain(flags.get('from'));
          continue;
        }
        for (const source of args.slice(0, -1)) {
          const relative = source.replace(/\/$/, '');
          expect(existsInRepo(relative), `COPY ${source}`).toBe(true);
          expect(isDockerIgnored(relative), `COPY ${source} is ignored`).toBe(false);
        }
      }
    }
  });

  it('copies every workspace manifest before the frozen-lockfile install, which fails on a missing one', () => {
    const install = build.instructions.findIndex(
      (i) => i.getKeyword() === 'RUN' && /pnpm install --frozen-lockfile/.test(i.getRawArgumentsContent() ?? ''),
    );
    expect(install).toBeGreaterThan(0);
    const copied = build.instructions
      .slice(0, install)
      .filter((i) => i.getKeyword() === 'COPY')
      .flatMap((i) => {
        const { args } = splitFlags(i);
        const dest = args.at(-1)!;
        return args
          .slice(0, -1)
          .map((source) => (dest === './' ? source : path.posix.join(dest, path.posix.basename(source))));
      });
    expect(copied).toEqual(
      expect.arrayContaining(['package.json', 'pnpm-lock.yaml', 'pnpm-workspace.yaml', '.pnpmfile.cjs']),
    );
    for (const pkg of workspacePackages()) expect(copied, pkg).toContain(`${pkg}/package.json`);
  });

  it('has a compiler in the build stage, before the install, for the native addons pnpm may build', () => {
    const install = build.instructions.findIndex(
      (i) => i.getKeyword() === 'RUN' && /pnpm install --frozen-lockfile/.test(i.getRawArgumentsContent() ?? ''),
    );
    const before = build.instructions
      .slice(0, install)
      .filter((i) => i.getKeyword() === 'RUN')
      .map((i) => i.getRawArgumentsContent())
      .join('\n');
    expect(readRepoFile('pnpm-workspace.yaml')).toMatch(/^ {2}zstd-napi: true$/m);
    expect(before).toMatch(/apt-get install [^\n]*\bpython3 make g\+\+/);
  });

  it('installs the pnpm version CI uses', () => {
    const ci = /PNPM_VERSION=(\S+)/.exec(readRepoFile('.ci/run'))![1];
    const run = instructions(build, 'RUN')
      .map((i) => i.getRawArgumentsContent())
      .join('\n');
    expect(run).toContain(`pnpm@${ci}`);
  });

  it('runs the hub as a non-root user, exposes 2801 and checks /healthz with node', () => {
    const user = instructions(runtime, 'USER').at(-1)?.getArguments()[0]?.getValue();
    expect(user).toBeDefined();
    expect(user!.split(':')[0]).not.toMatch(/^(0|root)$/);
    expect(instructions(runtime, 'EXPOSE').flatMap((i) => i.getArguments().map((a) => a.getValue()))).toContain('2801');
    const check = instructions(runtime, 'HEALTHCHECK').at(-1)?.getRawArgumentsContent() ?? '';
    expect(check).toMatch(/CMD \["node",/);
    expect(check).toContain('/healthz');
    expect(instructions(runtime, 'CMD').at(-1)?.getRawArgumentsContent()).toContain('/app/dist/main.js');
  });

  it('serves the dashboard from where the build puts it, and has the CLIs on PATH', () => {
    const copy = instructions(runtime, 'COPY')
      .map(splitFlags)
      .find((c) => c.flags.get('from') === 'build')!;
    const [from, to] = copy.args as [string, string];
    const webDist = runtimeEnv.get('WEB_DIST')!;
    expect(webDist.startsWith(`${to}/`)).toBe(true);
    const buildRun = instructions(build, 'RUN')
      .map((i) => i.getRawArgumentsContent())
      .join('\n');
    expect(buildRun).toContain(`apps/web/dist ${from}${webDist.slice(to.length)}`);
    expect(buildRun).toContain(`deploy --prod ${from}`);
    expect(runtimeEnv.get('PATH')).toMatch(new RegExp(`^${to}/node_modules/\\.bin:`));
  });

  it('the CLIs other manifests run are bins of packages the hub depends on, so pnpm deploy links them', () => {
    const server = JSON.parse(readRepoFile('apps/server/package.json')) as { dependencies: Record<string, string> };
    const bins = new Set<string>();
    for (const pkg of workspacePackages()) {
      const manifest = JSON.parse(readRepoFile(`${pkg}/package.json`)) as {
        name: string;
        bin?: Record<string, string>;
      };
      if (manifest.name in server.dependencies) for (const bin of Object.keys(manifest.bin ?? {})) bins.add(bin);
    }
    const compose = readYaml('docker-compose.yml') as { services: Record<string, Json> };
    expect(bins).toContain((compose.services['sensor']!['command'] as string[])[0]);
    expect(bins).toContain('harrier-rules');
  });
});

describe('.dockerignore', () => {
  it('keeps local builds, dependencies and git out of the context, but not the sources', () => {
    for (const path of [
      'node_modules',
      'apps/server/dist',
      'apps/web/node_modules/vite',
      '.git/HEAD',
      'test/e2e/dashboard.test.ts',
    ]) {
      expect(isDockerIgnored(path), path).toBe(true);
    }
    for (const path of [
      'apps/server/src/main.ts',
      'packages/sensor/package.json',
      'test/package.json',
      'pnpm-lock.yaml',
    ]) {
      expect(isDockerIgnored(path), path).toBe(false);
    }
  });
});
