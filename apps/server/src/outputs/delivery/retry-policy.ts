/** What happens after a failed attempt: retry later (exponential backoff, equal jitter, Retry-After honoured) or bury. */
import type { DeliveryFailure } from '../channels/output-channel.js';
import type { DeliveryPolicy } from '../outputs.config.js';
import type { DeliveryJob } from './delivery-queue.js';

export type NextStep = { kind: 'retry'; dueAt: number } | { kind: 'bury'; reason: string };

/** Delay before retry number `attempt` (1 = after the first failure): between half and all of the capped exponential. */
export function backoffDelay(attempt: number, policy: DeliveryPolicy, random: () => number = Math.random): number {
  const base = Math.min(policy.maxBackoffMs, policy.initialBackoffMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(base / 2 + (random() * base) / 2);
}

export function nextStep(
  job: DeliveryJob,
  failure: DeliveryFailure,
  policy: DeliveryPolicy,
  now: number,
  random?: () => number,
): NextStep {
  const attempts = job.attempts + 1;
  if (!failure.retryable) return { kind: 'bury', reason: 'not retryable' };
  if (attempts >= policy.attempts) return { kind: 'bury', reason: `gave up after ${attempts} attempts` };
  const delay = Math.max(backoffDelay(attempts, policy, random), failure.retryAfterMs ?? 0);
  if (now + delay - job.queuedAt > policy.maxAgeMs) {
    return { kind: 'bury', reason: `older than ${Math.round(policy.maxAgeMs / 1000)} s` };
  }
  return { kind: 'retry', dueAt: now + delay };
}
