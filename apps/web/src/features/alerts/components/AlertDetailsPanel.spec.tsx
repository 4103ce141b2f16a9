import type { Alert, AlertDelivery } from '@harrier/alert';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AlertDetailsPanel } from './AlertDetailsPanel';

afterEach(cleanup);

const alert: Alert = {
  id: '01J00000000000000000000001',
  time: '2026-01-01T12:00:00Z',
  rule: 'Terminal shell in container',
  priority: 'Warning',
  source: 'syscall',
  output: 'Shell in <b>web-1</b>',
  output_fields: { 'k8s.ns.name': 'payments', 'k8s.pod.name': 'web-1', 'proc.cmdline': 'sh -c id' },
  tags: ['shell'],
  hostname: 'node-a',
};
const deliveries: AlertDelivery[] = [
  { output: 'slack', state: 'delivered', attempts: 1, updatedAt: 1 },
  { output: 'hook', state: 'dead', attempts: 3, updatedAt: 2, lastError: 'HTTP 400' },
];

describe('AlertDetailsPanel', () => {
  beforeEach(() => {
    vi.stubGlobal(
      'fetch',
      vi.fn((url: string) => {
        const body = url.endsWith('/deliveries') ? deliveries : alert;
        return Promise.resolve(new Response(JSON.stringify(body), { status: 200 }));
      }),
    );
  });
  afterEach(() => vi.unstubAllGlobals());

  function renderPanel() {
    const handlers = { onFilterChange: vi.fn(), onClose: vi.fn() };
    render(
      <QueryClientProvider client={new QueryClient()}>
        <AlertDetailsPanel alertId={alert.id} {...handlers} />
      </QueryClientProvider>,
    );
    return handlers;
  }

  it('shows the alert’s facts, every output field, the delivery status per output and the raw JSON', async () => {
    renderPanel();
    await screen.findByTestId('alert-fields');
    const fields = screen.getAllByTestId('alert-field').map((row) => row.getAttribute('data-field'));
    expect(fields).toEqual(['k8s.ns.name', 'k8s.pod.name', 'proc.cmdline']);
    expect(screen.getByTestId('alert-details').textContent).toContain('Shell in <b>web-1</b>');
    expect(screen.getByTestId('alert-details').querySelector('b')).toBeNull();
    const rows = await screen.findAllByTestId('delivery-row');
    expect(rows.map((row) => row.getAttribute('data-state'))).toEqual(['delivered', 'dead']);
    expect(JSON.parse(screen.getByTestId('alert-json').textContent)).toEqual(alert);
  });

  it('filters by the alert’s rule, namespace or pod in one click, and closes on Escape', async () => {
    const { onFilterChange, onClose } = renderPanel();
    fireEvent.click(await screen.findByTestId('filter-by-rule'));
    fireEvent.click(screen.getByTestId('filter-by-namespace'));
    fireEvent.click(screen.getByTestId('filter-by-pod'));
    expect(onFilterChange.mock.calls).toEqual([
      ['rule', ['Terminal shell in container']],
      ['namespace', ['payments']],
      ['pod', ['web-1']],
    ]);
    fireEvent.keyDown(window, { key: 'Escape' });
    expect(onClose).toHaveBeenCalled();
  });

  it('copies the raw JSON', async () => {
    const writeText = vi.fn(() => Promise.resolve());
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    renderPanel();
    fireEvent.click(await screen.findByTestId('copy-json'));
    await waitFor(() => expect(screen.getByTestId('copy-json').textContent).toContain('Copied'));
    expect(JSON.parse((writeText.mock.calls[0] as unknown as [string])[0])).toEqual(alert);
  });
});
