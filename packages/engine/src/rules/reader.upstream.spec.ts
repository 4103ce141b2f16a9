/** Compatibility: Falco's own rules files, read from the shared reference folder (never copied here). */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readRulesFiles } from './reader.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const shared = process.env['HARRIER_SHARED'] ?? path.resolve(repoRoot, '../shared');
const upstream = path.join(shared, 'reference/falco');

const FILES = ['falco_rules.yaml', 'falco-incubating_rules.yaml', 'falco-sandbox_rules.yaml', 'k8s_audit_rules.yaml'];

/**
 * Counted independently of the YAML parser: an item's kind key sits at column 2, after `- ` or, when another
 * key comes first (falco-sandbox_rules.yaml has `- condition: …` then `  macro: …`), after two spaces.
 */
async function countItems(file: string, kind: string): Promise<number> {
  const text = await readFile(file, 'utf8');
  return text.match(new RegExp(`^(?:- |  )${kind}:`, 'gm'))?.length ?? 0;
}

describe('upstream Falco rules files', () => {
  it.each(FILES)('reads %s with no errors or warnings, finding every item', async (name) => {
    const file = path.join(upstream, name);
    const [read] = await readRulesFiles([file]);

    expect(read?.errors).toEqual([]);
    expect(read?.warnings).toEqual([]);
    for (const kind of ['rule', 'macro', 'list'] as const) {
      const found = read?.items.filter((i) => i.kind === kind).length;
      expect(found, `${kind}s in ${name}`).toBe(await countItems(file, kind));
    }
    expect(read?.items.filter((i) => i.kind === 'rule').length).toBeGreaterThan(0);
  });

  it('reads the rules the Harrier demo and seeds are built on', async () => {
    const [read] = await readRulesFiles([path.join(upstream, 'k8s_audit_rules.yaml')]);
    const rule = read?.items.find((i) => i.kind === 'rule' && i.name === 'Create Sensitive Mount Pod');
    expect(rule?.body).toMatchObject({ priority: 'WARNING', source: 'k8s_audit', tags: ['k8s'] });
    expect(read?.items[0]).toMatchObject({ kind: 'required_engine_version', body: { required_engine_version: 15 } });
  });
});
