import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

// Workspace packages resolve to their TypeScript source through the `development` export condition.
export default defineConfig({
  resolve: { conditions: ['development'] },
  test: {
    reporters: ['default', ['json', { outputFile: '.vitest/results.json' }]],
    projects: [
      {
        extends: true,
        // The hub relies on decorator metadata for Nest's dependency injection; swc emits it, esbuild/oxc do not.
        plugins: [swc.vite({ module: { type: 'es6' } })],
        test: {
          name: 'unit',
          include: ['packages/*/src/**/*.spec.ts', 'apps/*/src/**/*.spec.ts'],
        },
      },
      {
        extends: true,
        plugins: [swc.vite({ module: { type: 'es6' } })],
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        plugins: [swc.vite({ module: { type: 'es6' } })],
        test: {
          name: 'bench',
          include: ['test/bench/**/*.bench.ts', 'packages/*/bench/**/*.bench.ts'],
          testTimeout: 300_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
      {
        extends: true,
        plugins: [swc.vite({ module: { type: 'es6' } })],
        test: {
          name: 'deploy',
          include: ['test/deploy/**/*.test.ts'],
        },
      },
      {
        extends: true,
        plugins: [swc.vite({ module: { type: 'es6' } })],
        test: {
          name: 'fuzz',
          include: ['test/fuzz/**/*.test.ts'],
          testTimeout: 300_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
      {
        extends: true,
        plugins: [swc.vite({ module: { type: 'es6' } })],
        test: {
          name: 'chaos',
          include: ['test/chaos/**/*.test.ts'],
          testTimeout: 300_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        extends: true,
        test: {
          // Dashboard components rendered into happy-dom with Testing Library.
          name: 'web',
          include: ['apps/web/src/**/*.spec.tsx'],
          environment: 'happy-dom',
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
