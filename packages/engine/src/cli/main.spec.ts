import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runRulesCli, USAGE } from './main.js';

async function run(...argv: string[]) {
  const io = { stdout: '', stderr: '' };
  const status = await runRulesCli(argv, {
    out: (text) => void (io.stdout += text),
    err: (text) => void (io.stderr += text),
  });
  return { status, ...io };
}

async function rulesFile(text: string): Promise<string> {
  const file = path.join(await mkdtemp(path.join(tmpdir(), 'harrier-cli-')), 'rules.yaml');
  await writeFile(file, text);
  return file;
}

describe('harrier-rules', () => {
  it.each([[], ['--help'], ['-h'], ['help'], ['validate', '--help']])('prints usage for %j', async (...argv) => {
    expect(await run(...argv)).toEqual({ status: 0, stdout: USAGE, stderr: '' });
  });

  it.each([
    [['frob'], "unknown command 'frob'"],
    [['validate'], 'validate needs at least one rules file'],
    [['validate', '--strict', 'x.yaml'], "unknown option '--strict'"],
  ])('rejects %j with usage on stderr and status 2', async (argv, problem) => {
    const result = await run(...argv);
    expect(result).toMatchObject({ status: 2, stdout: '' });
    expect(result.stderr).toBe(`harrier-rules: ${problem}\n\n${USAGE}`);
  });

  it('validates clean files with status 0 and a summary', async () => {
    const file = await rulesFile('- list: a\n  items: []\n- macro: m\n  condition: x\n');
    expect(await run('validate', file)).toEqual({
      status: 0,
      stdout: '1 file, 2 items: 0 errors, 0 warnings\n',
      stderr: '',
    });
  });

  it('prints diagnostics in file order and exits 1 on an error', async () => {
    const file = await rulesFile('- list: a\n  itms: []\n- macro: [m]\n');
    const result = await run('validate', file);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe(
      `${file}:2:3: warning LOAD_UNKNOWN_KEY Unknown key 'itms'. The key will be ignored. (list 'a')\n` +
        ' 2 |   itms: []\n   |   ^\n' +
        `${file}:3:10: error LOAD_ERR_YAML_VALIDATE Value is not a scalar value (macro)\n` +
        ' 3 | - macro: [m]\n   |          ^\n' +
        '1 file, 1 item: 1 error, 1 warning\n',
    );
  });

  it('exits 1 when a file cannot be read', async () => {
    const result = await run('validate', '/nonexistent/rules.yaml');
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(
      /^\/nonexistent\/rules\.yaml: error LOAD_ERR_FILE_READ Could not read rules file: ENOENT/,
    );
  });
});
