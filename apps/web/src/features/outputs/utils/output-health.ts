/** A one-word health of an output, from its counters and queue, for a label that reads without colour. */
import type { OutputStatus } from '../api/outputs-api';

export type OutputHealth = 'failing' | 'dead-letters' | 'healthy' | 'idle';

export function outputHealth({ counters, depth }: Pick<OutputStatus, 'counters' | 'depth'>): OutputHealth {
  const lastError = counters.lastErrorAt ?? -Infinity;
  const lastSuccess = counters.lastSuccessAt ?? -Infinity;
  if (counters.lastErrorAt !== undefined && lastError >= lastSuccess) return 'failing';
  if (depth.dead > 0) return 'dead-letters';
  if (counters.lastSuccessAt !== undefined) return 'healthy';
  return 'idle';
}

/** "12 s ago", "5 min ago", "3 h ago", "2 d ago": how long before `now` `at` was. */
export function timeAgo(at: number, now: number): string {
  const seconds = Math.max(0, Math.round((now - at) / 1000));
  if (seconds < 60) return `${seconds} s ago`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.floor(hours / 24)} d ago`;
}
