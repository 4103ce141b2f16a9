/** The hub's delivery outputs: status, dead letters, re-drive, and falcosidekick's test alert. */
import type { DeadLetter, OutputStatus } from '@harrier/alert';

export type { DeadLetter, OutputCounters, OutputStatus, QueueDepth } from '@harrier/alert';
import { apiGet, apiPost } from '../../../lib/api-client';

export const DEAD_LETTER_LIMIT = 100;

export const outputKeys = {
  all: ['outputs'] as const,
  list: () => [...outputKeys.all, 'list'] as const,
  deadLetters: (name: string) => [...outputKeys.all, 'dead-letters', name] as const,
};

const outputPath = (name: string) => `/api/v1/outputs/${encodeURIComponent(name)}`;

export function fetchOutputs(signal?: AbortSignal): Promise<OutputStatus[]> {
  return apiGet<OutputStatus[]>('/api/v1/outputs', signal ? { signal } : {});
}

export function fetchDeadLetters(name: string, signal?: AbortSignal): Promise<DeadLetter[]> {
  return apiGet<DeadLetter[]>(`${outputPath(name)}/dead-letters`, {
    query: { limit: String(DEAD_LETTER_LIMIT) },
    ...(signal ? { signal } : {}),
  });
}

/** Queues the given dead letters again, or all of the output's when `ids` is undefined. */
export function redriveDeadLetters(name: string, ids?: readonly string[]): Promise<{ redriven: number }> {
  return apiPost<{ redriven: number }>(`${outputPath(name)}/dead-letters/redrive`, ids === undefined ? {} : { ids });
}

/** falcosidekick's `POST /test`: a "Test rule" alert to every enabled output. */
export function sendTestAlert(): Promise<void> {
  return apiPost('/test');
}
