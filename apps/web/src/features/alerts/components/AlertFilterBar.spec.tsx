import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { MemoryRouter, useLocation } from 'react-router';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { afterEach, describe, expect, it } from 'vitest';
import { useAlertFilter } from '../hooks/use-alert-filter';
import { AlertFilterBar } from './AlertFilterBar';

afterEach(cleanup);

function Harness() {
  const { filter, setFilterParams, clearFilter } = useAlertFilter();
  const { search } = useLocation();
  return (
    <>
      <AlertFilterBar filter={filter} onFilterChange={setFilterParams} onClear={clearFilter} />
      <output data-testid="search">{search}</output>
    </>
  );
}

function renderAt(url: string) {
  render(
    <QueryClientProvider client={new QueryClient()}>
      <MemoryRouter initialEntries={[url]}>
        <Harness />
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

const search = () => new URLSearchParams(screen.getByTestId('search').textContent);
const input = (name: string) => screen.getByTestId<HTMLInputElement | HTMLSelectElement>(`filter-${name}`);

describe('filters ↔ URL', () => {
  it('shows the filter a URL carries', () => {
    renderAt('/?q=shell&priority=warning&since=1h&namespace=prod,dev&pod=web-1&rule=A&rule=B&alert=X');
    expect(input('q').value).toBe('shell');
    expect(input('priority').value).toBe('warning');
    expect(input('since').value).toBe('1h');
    expect(input('namespace').value).toBe('prod,dev');
    expect(input('pod').value).toBe('web-1');
    expect(screen.getByTestId('filter-rule').textContent).toBe('2 rules');
  });

  it('writes a text filter to the URL on Enter, keeping the other parameters', () => {
    renderAt('/?alert=X&tag=a');
    fireEvent.change(input('namespace'), { target: { value: ' payments ' } });
    expect(search().get('namespace')).toBeNull();
    fireEvent.keyDown(input('namespace'), { key: 'Enter' });
    expect(search().get('namespace')).toBe('payments');
    expect(search().get('alert')).toBe('X');
    expect(search().get('tag')).toBe('a');
    fireEvent.change(input('q'), { target: { value: 'curl' } });
    fireEvent.blur(input('q'));
    expect(search().get('q')).toBe('curl');
  });

  it('a relative time range replaces an absolute one, start and end', () => {
    renderAt('/?since=2026-01-01T00:00:00.000Z&until=2026-01-01T00:05:00.000Z');
    expect(input('since').value).toBe('custom');
    expect(screen.getByRole('option', { name: /2026-01-01T00:00:00.000Z to/ })).toBeTruthy();
    fireEvent.change(input('since'), { target: { value: '15m' } });
    expect(search().get('since')).toBe('15m');
    expect(search().has('until')).toBe(false);
  });

  it('jumps to the search box on /, but not while typing in another field', () => {
    renderAt('/');
    fireEvent.keyDown(document.body, { key: '/' });
    expect(document.activeElement).toBe(input('q'));
    input('pod').focus();
    fireEvent.keyDown(input('pod'), { key: '/' });
    expect(document.activeElement).toBe(input('pod'));
  });

  it('sets the minimum priority and clears every filter, but not the open alert', () => {
    renderAt('/?alert=X&pod=a');
    fireEvent.change(input('priority'), { target: { value: 'error' } });
    expect(search().get('priority')).toBe('error');
    fireEvent.click(screen.getByTestId('filter-clear'));
    expect(screen.getByTestId('search').textContent).toBe('?alert=X');
    expect(input('pod').value).toBe('');
  });
});
