import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRulesFile, readRulesFiles } from './reader.js';

const yaml = (...lines: string[]): string => `${lines.join('\n')}\n`;

/** What a case expects: items as `kind name@line:col`, diagnostics as `CODE@line:col message`. */
interface Case {
  name: string;
  text: string;
  items: string[];
  errors?: string[];
  warnings?: string[];
}

function summarise(text: string) {
  const read = readRulesFile(text, 'case.yaml');
  const at = (p: { line: number; column: number }) => `${p.line}:${p.column}`;
  return {
    items: read.items.map((i) => `${i.kind}${i.name === undefined ? '' : ` ${i.name}`}@${at(i.position)}`),
    errors: read.errors.map((d) => `${d.code}@${at(d)} ${d.message}`),
    warnings: read.warnings.map((d) => `${d.code}@${at(d)} ${d.message}`),
  };
}

const accepted: Case[] = [
  { name: 'an empty file', text: '', items: [] },
  { name: 'only comments', text: yaml('# nothing yet'), items: [] },
  {
    name: 'every item kind, in one sequence',
    text: yaml(
      '- required_engine_version: 15',
      '- required_plugin_versions:',
      '    - name: k8saudit',
      '      version: 0.18.0',
      '- list: shells',
      '  items: [bash, sh]',
      '- macro: spawned_process',
      '  condition: evt.type = execve',
      '- rule: Shell',
      '  desc: d',
      '  condition: spawned_process and proc.name in (shells)',
      '  output: shell (cmd=%proc.cmdline)',
      '  priority: NOTICE',
    ),
    items: [
      'required_engine_version@1:3',
      'required_plugin_versions@2:3',
      'list shells@5:3',
      'macro spawned_process@7:3',
      'rule Shell@9:3',
    ],
  },
  {
    name: 'several documents, null documents ignored',
    text: yaml('---', '---', '- list: a', '  items: []', '---', '~', '---', '  - macro: m', '    condition: x'),
    items: ['list a@3:3', 'macro m@8:5'],
  },
  {
    name: 'null elements skipped',
    text: yaml('-', '- ~', '- list: a', '  items: []'),
    items: ['list a@3:3'],
  },
  {
    name: 'the first present kind key decides, in precedence order',
    text: yaml('- rule: r', '  list: l', '  items: []'),
    items: ['list l@1:3'],
    warnings: ["LOAD_UNKNOWN_KEY@1:3 Unknown key 'rule'. The key will be ignored."],
  },
  {
    name: 'an unknown top level item is a warning and is dropped',
    text: yaml('- plugin: x', '- list: a', '  items: []'),
    items: ['list a@2:3'],
    warnings: ['LOAD_UNKNOWN_ITEM@1:3 Unknown top level item'],
  },
  {
    name: 'unknown keys are warned about at the key, and kept in the body',
    text: yaml('- macro: m', '  condition: x', '  conditon: y', '- rule: r', '  enabeld: false'),
    items: ['macro m@1:3', 'rule r@4:3'],
    warnings: [
      "LOAD_UNKNOWN_KEY@3:3 Unknown key 'conditon'. The key will be ignored.",
      "LOAD_UNKNOWN_KEY@5:3 Unknown key 'enabeld'. The key will be ignored.",
    ],
  },
  {
    name: 'every key the spec gives a rule is known',
    text: yaml(
      '- rule: r',
      '  condition: c',
      '  output: o',
      '  desc: d',
      '  priority: info',
      '  source: k8s_audit',
      '  enabled: true',
      '  tags: [a]',
      '  exceptions: []',
      '  warn_evttypes: false',
      '  skip-if-unknown-filter: true',
      '  capture: false',
      '  capture_duration: 0',
      '  append: false',
      '  override: {}',
    ),
    items: ['rule r@1:3'],
  },
  {
    name: 'a scalar name of another type is read as text',
    text: yaml('- list: 42', '  items: []'),
    items: ['list 42@1:3'],
  },
];

const rejected: Case[] = [
  {
    name: 'invalid YAML, before any item is read',
    text: yaml('- list: a', '  items: []', '- macro: m', '  condition: [unclosed'),
    items: [],
    errors: [
      'LOAD_ERR_YAML_PARSE@5:1 Flow sequence in block collection must be sufficiently indented and end with a ]',
    ],
  },
  {
    name: 'duplicate keys in an item',
    text: yaml('- macro: m', '  condition: a', '  condition: b'),
    items: [],
    errors: ['LOAD_ERR_YAML_PARSE@3:3 Map keys must be unique'],
  },
  {
    name: 'a scalar document',
    text: yaml('just some text'),
    items: [],
    errors: ['LOAD_ERR_YAML_VALIDATE@1:1 Rules content is not yaml'],
  },
  {
    name: 'a map document',
    text: yaml('- list: a', '  items: []', '---', 'rule: r', 'desc: d'),
    items: ['list a@1:3'],
    errors: ['LOAD_ERR_YAML_VALIDATE@4:1 Rules content is not yaml array of objects'],
  },
  {
    name: 'an element that is not a map',
    text: yaml('- list: a', '  items: []', '- [macro, m]'),
    items: ['list a@1:3'],
    errors: ['LOAD_ERR_YAML_VALIDATE@3:3 Unexpected element type. Each element should be a yaml associative array.'],
  },
  {
    name: 'a null name, reported at the item',
    text: yaml('- rule:', '  desc: d'),
    items: [],
    errors: ["LOAD_ERR_YAML_VALIDATE@1:3 Mapping for key 'rule' is empty"],
  },
  {
    name: 'a name that is not a scalar, reported at the value',
    text: yaml('- macro: [m]', '  condition: x'),
    items: [],
    errors: ['LOAD_ERR_YAML_VALIDATE@1:10 Value is not a scalar value'],
  },
  {
    name: 'an empty name',
    text: yaml("- list: ''", '  items: []'),
    items: [],
    errors: ['LOAD_ERR_YAML_VALIDATE@1:9 Value must be non-empty'],
  },
  {
    name: 'aliases that would expand without bound',
    text: yaml(
      '- list: a',
      '  items: &a [x, x, x, x, x, x, x, x, x, x]',
      '- list: b',
      '  items: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]',
      '- list: c',
      '  items: [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]',
    ),
    items: ['list a@1:3', 'list b@3:3'],
    errors: ['LOAD_ERR_YAML_PARSE@5:3 Excessive alias count indicates a resource exhaustion attack'],
  },
  {
    name: 'the first error stops the file: later items and documents are not read',
    text: yaml('- list: a', '  items: []', '- plugin: p', '- 42', '- list: b', '  items: []', '---', 'oops'),
    items: ['list a@1:3'],
    errors: ['LOAD_ERR_YAML_VALIDATE@4:3 Unexpected element type. Each element should be a yaml associative array.'],
    warnings: ['LOAD_UNKNOWN_ITEM@3:3 Unknown top level item'],
  },
];

describe('readRulesFile', () => {
  it.each(accepted)('accepts $name', ({ text, items, warnings = [] }) => {
    expect(summarise(text)).toEqual({ items, errors: [], warnings });
  });

  it.each(rejected)('rejects $name', ({ text, items, errors = [], warnings = [] }) => {
    expect(summarise(text)).toEqual({ items, errors, warnings });
  });

  it('gives each item its body as plain JavaScript, with aliases resolved', () => {
    const read = readRulesFile(
      yaml('- list: shells', '  items: &shells [bash, sh]', '- list: also_shells', '  items: *shells'),
      'rules.yaml',
    );
    expect(read.items.map((i) => i.body)).toEqual([
      { list: 'shells', items: ['bash', 'sh'] },
      { list: 'also_shells', items: ['bash', 'sh'] },
    ]);
    expect(read.items[0]?.position).toEqual({ file: 'rules.yaml', line: 1, column: 3 });
  });

  it('reads an element given as an alias of an earlier map', () => {
    const read = readRulesFile(yaml('- &m {macro: m, condition: x}', '- *m'), 'r.yaml');
    expect(read.items.map((i) => `${i.name}@${i.position.line}:${i.position.column}`)).toEqual(['m@1:6', 'm@2:3']);
  });

  it('names the item and renders the offending line in each diagnostic', () => {
    const read = readRulesFile(yaml('- rule: Shell in pod', '  priorty: NOTICE'), 'r.yaml');
    expect(read.warnings).toEqual([
      {
        code: 'LOAD_UNKNOWN_KEY',
        message: "Unknown key 'priorty'. The key will be ignored.",
        file: 'r.yaml',
        line: 2,
        column: 3,
        item: "rule 'Shell in pod'",
        excerpt: ' 2 |   priorty: NOTICE\n   |   ^',
      },
    ]);
  });
});

describe('readRulesFiles', () => {
  it('reads files in the order given and reports one that cannot be read', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'harrier-rules-'));
    const first = path.join(dir, 'a.yaml');
    const second = path.join(dir, 'b.yaml');
    await writeFile(first, yaml('- list: a', '  items: []'));
    await writeFile(second, yaml('- macro: m', '  condition: x'));
    const missing = path.join(dir, 'missing.yaml');

    const reads = await readRulesFiles([second, missing, first]);

    expect(reads.map((r) => [r.file, r.items.map((i) => i.name)])).toEqual([
      [second, ['m']],
      [missing, []],
      [first, ['a']],
    ]);
    expect(reads[1]?.errors).toEqual([
      expect.objectContaining({ code: 'LOAD_ERR_FILE_READ', file: missing, line: 0, column: 0 }),
    ]);
    expect(reads[1]?.errors[0]?.message).toMatch(/ENOENT/);
  });
});
