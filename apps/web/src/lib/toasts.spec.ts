import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ToastStore } from './toasts';

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('ToastStore', () => {
  it('shows toasts in order, tells listeners, and hides successes sooner than errors', () => {
    const store = new ToastStore();
    const listener = vi.fn();
    store.subscribe(listener);
    store.show('success', 'Sent');
    store.show('error', 'Failed');
    expect(store.toasts.map((toast) => toast.text)).toEqual(['Sent', 'Failed']);
    expect(listener).toHaveBeenCalledTimes(2);

    vi.advanceTimersByTime(5_000);
    expect(store.toasts.map((toast) => toast.text)).toEqual(['Failed']);
    vi.advanceTimersByTime(5_000);
    expect(store.toasts).toEqual([]);
  });

  it('dismisses one toast at once and ignores an unknown id', () => {
    const store = new ToastStore();
    store.show('success', 'A');
    const before = store.toasts;
    store.dismiss(999);
    expect(store.toasts).toBe(before);
    store.dismiss(before[0]!.id);
    expect(store.toasts).toEqual([]);
  });
});
