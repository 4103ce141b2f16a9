// The workspace's lint rules, plus type information for the benchmark, which lives outside `src` (and so outside
// tsconfig.check.json): ESLint looks this file up for everything under packages/engine.
import root from '../../eslint.config.js';

export default [
  ...root,
  {
    files: ['bench/**/*.ts'],
    languageOptions: { parserOptions: { project: ['./bench/tsconfig.json'], tsconfigRootDir: import.meta.dirname } },
  },
];
