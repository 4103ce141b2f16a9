/**
 * Tells when rules files change on disk, so a hub or sensor can reload them as it does on SIGHUP. Each file's
 * directory is watched rather than the file, because editors and ConfigMap updates replace a file (write a copy,
 * rename it over) and a watch on the old file would go quiet. Bursts of changes (an editor's several writes) are
 * folded into one call after `debounceMs` of quiet.
 */
import { watch, type FSWatcher } from 'node:fs';
import path from 'node:path';

export interface RulesWatchOptions {
  /** Quiet time after the last change before `onChange` is called. Default 300 ms. */
  debounceMs?: number;
  /** A directory that cannot be watched (missing, no inotify watches left); the others still are. */
  onError?: (directory: string, error: Error) => void;
}

export interface RulesWatch {
  close(): void;
}

export function watchRulesFiles(
  files: readonly string[],
  onChange: () => void,
  options: RulesWatchOptions = {},
): RulesWatch {
  const debounceMs = options.debounceMs ?? 300;
  const byDirectory = new Map<string, Set<string>>();
  for (const file of files) {
    const absolute = path.resolve(file);
    const directory = path.dirname(absolute);
    const names = byDirectory.get(directory) ?? new Set<string>();
    names.add(path.basename(absolute));
    byDirectory.set(directory, names);
  }
  let timer: NodeJS.Timeout | undefined;
  const changed = () => {
    clearTimeout(timer);
    timer = setTimeout(onChange, debounceMs);
  };
  const watchers: FSWatcher[] = [];
  for (const [directory, names] of byDirectory) {
    try {
      // Not persistent: watching rules never keeps a process alive that has nothing else to do.
      const watcher = watch(directory, { persistent: false }, (_event, name) => {
        // Kubernetes ConfigMap volumes swap a `..data` symlink: the names seen are not the files' own.
        if (name === null || names.has(name) || name.startsWith('..')) changed();
      });
      watcher.on('error', (error) => options.onError?.(directory, error));
      watchers.push(watcher);
    } catch (error) {
      options.onError?.(directory, error instanceof Error ? error : new Error(String(error)));
    }
  }
  return {
    close() {
      clearTimeout(timer);
      for (const watcher of watchers) watcher.close();
    },
  };
}
