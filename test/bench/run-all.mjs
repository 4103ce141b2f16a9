// `pnpm bench`: runs every root script named bench:* (this repo's and any added later), one after another, then
// prints one table of the figures they recorded (test/bench/support/figures.ts) with their targets.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');
const scripts = Object.keys(JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).scripts ?? {})
  .filter((name) => name.startsWith('bench:'))
  .sort();
const dir = mkdtempSync(path.join(tmpdir(), 'harrier-bench-'));
const exits = new Map();
for (const script of scripts) {
  console.log(`\n=== pnpm run ${script} ===`);
  const run = spawnSync('pnpm', ['run', script], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, HARRIER_BENCH_FIGURES: dir },
  });
  exits.set(script, run.status ?? 1);
}

const file = path.join(dir, 'figures.jsonl');
const figures = existsSync(file)
  ? readFileSync(file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line))
  : [];
const rows = [];
for (const script of scripts) {
  const bench = script.slice('bench:'.length);
  const own = figures.filter((f) => f.bench === bench);
  const exit = exits.get(script);
  if (own.length === 0)
    rows.push({
      bench,
      figure: '(no figures recorded; see its output above)',
      value: exit === 0 ? 'ran' : `failed (exit ${exit})`,
    });
  for (const f of own) {
    rows.push({
      bench,
      figure: f.figure,
      value: f.value,
      target: f.target ?? '',
      met: f.met === undefined ? '' : f.met ? 'yes' : 'NO',
    });
  }
  if (own.length > 0 && exit !== 0) rows.push({ bench, figure: '(bench run)', value: `failed (exit ${exit})` });
}
console.log('\nHarrier benchmarks (figures measured on this machine; shared machines read low)');
console.table(rows);
const missed = rows.filter((r) => r.met === 'NO').length;
console.log(missed === 0 ? 'Every target met.' : `${missed} target(s) not met.`);
process.exit([...exits.values()].some((code) => code !== 0) ? 1 : 0);
