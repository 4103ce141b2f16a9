import { describe, expect, it } from 'vitest';
import { DeliveryFailure } from '../channels/output-channel.js';
import type { DeliveryPolicy } from '../outputs.config.js';
import type { DeliveryJob } from './delivery-queue.js';
import { backoffDelay, nextStep } from './retry-policy.js';

const policy: DeliveryPolicy = {
  timeoutMs: 1_000,
  attempts: 5,
  initialBackoffMs: 1_000,
  maxBackoffMs: 8_000,
  maxAgeMs: 60_000,
  concurrency: 1,
};
const NOW = 1_000_000;
const job = (attempts: number, queuedAt = NOW): DeliveryJob => ({
  id: '1',
  output: 'hook',
  attempts,
  queuedAt,
  alert: {} as DeliveryJob['alert'],
});
const retryable = new DeliveryFailure('HTTP 500', true);

describe('backoffDelay', () => {
  it('doubles per attempt up to the cap, jittered between half and all of it', () => {
    expect([1, 2, 3, 4, 5, 6].map((a) => backoffDelay(a, policy, () => 1))).toEqual([
      1000, 2000, 4000, 8000, 8000, 8000,
    ]);
    expect([1, 2, 3].map((a) => backoffDelay(a, policy, () => 0))).toEqual([500, 1000, 2000]);
  });
});

describe('nextStep', () => {
  it('retries a retryable failure after the backoff', () => {
    expect(nextStep(job(0), retryable, policy, NOW, () => 1)).toEqual({ kind: 'retry', dueAt: NOW + 1000 });
  });

  it('waits at least as long as Retry-After asks', () => {
    const limited = new DeliveryFailure('HTTP 429', true, 30_000);
    expect(nextStep(job(0), limited, policy, NOW, () => 1)).toEqual({ kind: 'retry', dueAt: NOW + 30_000 });
  });

  it('buries what cannot succeed, after the last attempt, or past the maximum age', () => {
    expect(nextStep(job(0), new DeliveryFailure('HTTP 400', false), policy, NOW).kind).toBe('bury');
    expect(nextStep(job(4), retryable, policy, NOW)).toEqual({ kind: 'bury', reason: 'gave up after 5 attempts' });
    expect(nextStep(job(1, NOW - 59_500), retryable, policy, NOW, () => 1).kind).toBe('bury');
  });
});
