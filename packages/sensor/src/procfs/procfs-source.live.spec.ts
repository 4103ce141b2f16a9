/** The procfs sensor on this machine's real /proc: a process under a pseudo-terminal, as `kubectl exec -it` makes. */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ProcfsSource } from './procfs-source.js';

describe.skipIf(process.platform !== 'linux')('ProcfsSource on the real /proc', () => {
  it('sees a process started under a pseudo-terminal, with its terminal and its parent', async () => {
    const source = new ProcfsSource({ intervalMs: 20 });
    await source.start();
    // `script` runs the command on a new pty; `exec` makes sleep replace the shell, so its parent is script.
    const child = spawn('script', ['-qc', 'exec sleep 2', '/dev/null'], {
      stdio: 'ignore',
      env: { ...process.env, SHELL: '/bin/sh' },
    });
    const timeout = setTimeout(() => void source.stop(), 5_000);
    let seen: Record<string, unknown> | undefined;
    try {
      for await (const { source: kind, event } of source.events()) {
        const payload = event.payload as Record<string, unknown>;
        if (kind === 'syscall' && payload['proc.name'] === 'sleep' && payload['proc.ppid'] === child.pid) {
          seen = payload;
          break;
        }
      }
    } finally {
      clearTimeout(timeout);
      await source.stop();
      child.kill();
    }
    expect(seen).toMatchObject({
      'evt.type': 'execve',
      'evt.dir': '<',
      'proc.cmdline': 'sleep 2',
      'proc.exe': 'sleep',
      'proc.args': '2',
      'proc.pname': 'script',
      'user.uid': process.getuid?.(),
    });
    // Pseudo-terminals are devices of majors 136 to 143: tty_nr 34816 (pts/0) and up.
    expect(seen?.['proc.tty']).toBeGreaterThanOrEqual(136 << 8);
    expect((seen?.['proc.aname'] as string[]).slice(0, 2)).toEqual(['sleep', 'script']);
  });
});
