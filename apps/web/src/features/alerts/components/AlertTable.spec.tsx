import type { Alert, Priority } from '@harrier/alert';
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AlertTable } from './AlertTable';

afterEach(cleanup);

function alerts(count: number): Alert[] {
  const priorities: Priority[] = ['Critical', 'Warning', 'Notice'];
  return Array.from({ length: count }, (_, i) => ({
    id: `01J${String(count - i).padStart(23, '0')}`,
    time: new Date(Date.UTC(2026, 0, 1, 12, 0, 0) - i * 1000).toISOString(),
    rule: `Rule ${i}`,
    priority: priorities[i % 3]!,
    source: 'syscall',
    output: `<script>alert(${i})</script> output ${i}`,
    output_fields: {
      'k8s.ns.name': 'payments',
      'k8s.pod.name': `web-${i}`,
      'container.image.repository': 'nginx',
      'container.image.tag': '1.27',
    },
    tags: ['container', 'shell'],
    hostname: 'node-a',
  }));
}

function renderTable(list: Alert[], props: Partial<Parameters<typeof AlertTable>[0]> = {}) {
  const handlers = { onOpen: vi.fn(), onLoadMore: vi.fn() };
  render(
    <AlertTable
      alerts={list}
      stale={false}
      selectedId={undefined}
      hasMore={false}
      loadingMore={false}
      {...handlers}
      {...props}
    />,
  );
  return handlers;
}

describe('AlertTable', () => {
  it('renders a screenful of a long list, counting every row for assistive tech', () => {
    renderTable(alerts(5_000));
    const rows = screen.getAllByTestId('alert-row');
    expect(rows.length).toBeGreaterThan(10);
    expect(rows.length).toBeLessThan(100);
    expect(screen.getByRole('table').getAttribute('aria-rowcount')).toBe('5001');
    expect(rows[0]!.getAttribute('aria-rowindex')).toBe('2');
  });

  it('shows every column as text: time, priority name, rule, output, target, image, source, host, tags', () => {
    renderTable(alerts(1));
    const row = screen.getByTestId('alert-row');
    const cells = [...row.querySelectorAll('td')].map((cell) => cell.textContent);
    expect(cells.slice(1)).toEqual([
      'Critical',
      'Rule 0',
      '<script>alert(0)</script> output 0',
      'payments / web-0',
      'nginx:1.27',
      'syscall',
      'node-a',
      'containershell',
    ]);
    expect(row.querySelector('script')).toBeNull();
    expect(row.querySelector('.alert-output')!.getAttribute('title')).toBe('<script>alert(0)</script> output 0');
  });

  it('asks for older alerts when the end of the list is in view, not while a page loads', () => {
    expect(renderTable(alerts(20), { hasMore: true }).onLoadMore).toHaveBeenCalledTimes(1);
    cleanup();
    expect(renderTable(alerts(20), { hasMore: true, loadingMore: true }).onLoadMore).not.toHaveBeenCalled();
    cleanup();
    expect(renderTable(alerts(5_000), { hasMore: true }).onLoadMore).not.toHaveBeenCalled();
  });

  it('opens a row on click and moves between rows with the arrow keys', async () => {
    const { onOpen } = renderTable(alerts(30));
    const buttons = () => screen.getAllByRole('button');
    fireEvent.click(screen.getAllByTestId('alert-row')[1]!);
    expect(onOpen).toHaveBeenCalledWith(alerts(30)[1]!.id);

    buttons()[0]!.focus();
    fireEvent.keyDown(buttons()[0]!, { key: 'ArrowDown' });
    await act(() => new Promise((resolve) => requestAnimationFrame(resolve)));
    expect(document.activeElement?.textContent).toBe('Rule 1');
    fireEvent.keyDown(document.activeElement!, { key: 'k' });
    await act(() => new Promise((resolve) => requestAnimationFrame(resolve)));
    expect(document.activeElement?.textContent).toBe('Rule 0');
  });
});
