import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RulePicker } from './RulePicker';

afterEach(cleanup);

describe('RulePicker', () => {
  let requested: URL[];
  beforeEach(() => {
    requested = [];
    vi.stubGlobal(
      'fetch',
      vi.fn((input: string) => {
        requested.push(new URL(input, 'http://hub.test'));
        const top = {
          rule: [
            { value: 'Shell', count: 12 },
            { value: 'Mount', count: 3 },
          ],
        };
        return Promise.resolve(new Response(JSON.stringify({ top }), { status: 200 }));
      }),
    );
  });
  afterEach(() => vi.unstubAllGlobals());

  function renderPicker(filter: Record<string, string[]>, onChange = vi.fn()) {
    render(
      <QueryClientProvider client={new QueryClient()}>
        <RulePicker filter={filter} onChange={onChange} />
      </QueryClientProvider>,
    );
    return onChange;
  }

  it('counts nothing until opened, then lists rules with counts under the rest of the filter', async () => {
    renderPicker({ namespace: ['prod'], rule: ['Odd one'] });
    expect(screen.getByTestId('filter-rule').textContent).toBe('Odd one');
    expect(requested).toEqual([]);

    fireEvent.click(screen.getByTestId('filter-rule'));
    await waitFor(() => expect(screen.getAllByTestId('rule-option')).toHaveLength(3));
    expect(requested[0]!.pathname).toBe('/api/v1/alerts/stats');
    expect(requested[0]!.searchParams.getAll('namespace')).toEqual(['prod']);
    expect(requested[0]!.searchParams.has('rule')).toBe(false);
    // The chosen rule stays first even when it is not among the most frequent.
    expect(screen.getAllByTestId('rule-option').map((option) => option.textContent)).toEqual([
      'Odd one',
      'Shell12',
      'Mount3',
    ]);
  });

  it('adds and removes rules, several at once', async () => {
    const onChange = renderPicker({ rule: ['Shell'] });
    fireEvent.click(screen.getByTestId('filter-rule'));
    await waitFor(() => expect(screen.getAllByTestId('rule-option')).toHaveLength(2));
    const box = (rule: string) =>
      screen
        .getAllByTestId('rule-option')
        .find((o) => o.dataset['rule'] === rule)!
        .querySelector('input')!;
    expect(box('Shell').checked).toBe(true);
    fireEvent.click(box('Mount'));
    expect(onChange).toHaveBeenLastCalledWith(['Shell', 'Mount']);
    // The click shows at once, before the URL (here: never) catches up.
    expect(box('Mount').checked).toBe(true);
    fireEvent.click(box('Shell'));
    expect(onChange).toHaveBeenLastCalledWith(['Mount']);
    expect(box('Shell').checked).toBe(false);
  });

  it('closes on Escape', async () => {
    renderPicker({});
    fireEvent.click(screen.getByTestId('filter-rule'));
    await waitFor(() => screen.getAllByTestId('rule-option'));
    fireEvent.keyDown(document, { key: 'Escape' });
    expect(screen.queryAllByTestId('rule-option')).toEqual([]);
    expect(screen.getByTestId('filter-rule').getAttribute('aria-expanded')).toBe('false');
  });
});
