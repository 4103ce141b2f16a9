/**
 * Mutated rules files: the engine reports errors and never throws; the hub's reload answers without a 5xx,
 * keeps running, and takes a good file again afterwards.
 */
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { DEFAULT_RULES_FILE, loadRulesText } from '../../packages/engine/src/index.js';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startHubProcess, writeConfigFile, type HubProcess } from '../support/hub.js';
import { RUNS } from './payloads.js';

const DEFAULT_RULES = readFileSync(DEFAULT_RULES_FILE, 'utf8');
const YAML_NOISE = [
  ':',
  '- ',
  '{',
  '}',
  '[',
  ']',
  '&a',
  '*a',
  '!!str',
  '|',
  '>',
  "'",
  '"',
  '%',
  '@',
  '`',
  '\t',
  '\n',
  '  ',
  '#',
];

/** The default rules with a few lines dropped, repeated, cut or salted with YAML and condition syntax. */
const mutatedRules = fc
  .array(
    fc.oneof(
      fc.record({ op: fc.constant('drop' as const), at: fc.nat() }),
      fc.record({ op: fc.constant('repeat' as const), at: fc.nat() }),
      fc.record({ op: fc.constant('cut' as const), at: fc.nat(), length: fc.nat({ max: 40 }) }),
      fc.record({
        op: fc.constant('insert' as const),
        at: fc.nat(),
        text: fc.oneof(
          fc.constantFrom(...YAML_NOISE),
          fc.string({ maxLength: 20 }),
          fc.integer({ min: 1, max: 50_000 }).map((n) => '('.repeat(n)),
          fc.constantFrom(' and ', ' or not ', ' in (', ' pmatch ', ' glob ', '%proc.name', 'macro: ', 'list: '),
        ),
      }),
    ),
    { minLength: 1, maxLength: 6 },
  )
  .map((mutations) => {
    let lines = DEFAULT_RULES.split('\n');
    for (const m of mutations) {
      const at = m.at % lines.length;
      if (m.op === 'drop') lines.splice(at, 1);
      else if (m.op === 'repeat') lines.splice(at, 0, lines[at]!);
      else {
        const text = lines.join('\n');
        const pos = m.at % (text.length + 1);
        lines = (
          m.op === 'cut'
            ? text.slice(0, pos) + text.slice(pos + m.length)
            : text.slice(0, pos) + m.text + text.slice(pos)
        ).split('\n');
      }
    }
    return lines.join('\n');
  });

it('the engine reports a broken rules file and never throws', () => {
  let withErrors = 0;
  fc.assert(
    fc.property(fc.oneof(mutatedRules, fc.string({ unit: 'binary', maxLength: 500 })), (text) => {
      const result = loadRulesText([{ file: 'fuzz.yaml', text }]);
      expect(Array.isArray(result.errors)).toBe(true);
      if (result.errors.length > 0) withErrors++;
    }),
    { numRuns: RUNS },
  );
  console.log(`fuzz rules (engine): ${RUNS} files, ${withErrors} with load errors`);
  expect(withErrors).toBeGreaterThan(0);
});

let hub: HubProcess;
let rulesFile: string;
beforeAll(async () => {
  rulesFile = await writeConfigFile(DEFAULT_RULES);
  hub = await startHubProcess({ env: { RULES_FILES: rulesFile, LOG_LEVEL: 'error' } });
});
afterAll(async () => {
  await hub?.stop();
});

interface RulesStatus {
  rules: unknown[];
  failedReload?: { errors: unknown[] };
}

it('the hub reloads broken rules files without a 5xx, keeps running and recovers', async () => {
  const ruleCount = ((await (await fetch(`${hub.url}/api/v1/rules`)).json()) as RulesStatus).rules.length;
  let failed = 0;
  await fc.assert(
    fc.asyncProperty(mutatedRules, async (text) => {
      await writeFile(rulesFile, text);
      const res = await fetch(`${hub.url}/api/v1/rules/reload`, { method: 'POST' });
      expect(res.status).toBe(200);
      const status = (await res.json()) as RulesStatus;
      if (status.failedReload) failed++;
    }),
    { numRuns: Math.ceil(RUNS / 4) },
  );
  expect((await fetch(`${hub.url}/healthz`)).status).toBe(200);
  await writeFile(rulesFile, DEFAULT_RULES);
  const restored = (await (await fetch(`${hub.url}/api/v1/rules/reload`, { method: 'POST' })).json()) as RulesStatus;
  expect(restored.failedReload).toBeUndefined();
  expect(restored.rules).toHaveLength(ruleCount);
  console.log(`fuzz rules (hub): ${Math.ceil(RUNS / 4)} reloads, ${failed} refused with the previous rules kept`);
  expect(failed).toBeGreaterThan(0);
});
