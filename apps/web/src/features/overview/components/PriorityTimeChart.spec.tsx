import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PriorityTimeChart, niceMax } from './PriorityTimeChart';

afterEach(cleanup);

const bars = [
  { start: 0, end: 60_000, counts: { Error: 3, Notice: 1 }, total: 4 },
  { start: 120_000, end: 180_000, counts: { Warning: 2 }, total: 2 },
];
const domain = { start: 0, end: 180_000 };

describe('PriorityTimeChart', () => {
  it('draws one stacked bar per bucket, a segment per priority, with heights in proportion', () => {
    const { container } = render(<PriorityTimeChart bars={bars} domain={domain} onSelectRange={() => undefined} />);
    expect(screen.getAllByTestId('chart-bar')).toHaveLength(2);
    const segments = [...container.querySelectorAll('.chart-segment')];
    expect(segments.map((s) => s.getAttribute('data-priority'))).toEqual(['Notice', 'Error', 'Warning']);
    const height = (priority: string) =>
      Number(container.querySelector(`.chart-segment[data-priority="${priority}"]`)!.getAttribute('height'));
    expect(height('Error')).toBeCloseTo(3 * height('Notice'));
    expect(height('Warning')).toBeCloseTo(2 * height('Notice'));
  });

  it('places bars by time across the domain', () => {
    const { container } = render(<PriorityTimeChart bars={bars} domain={domain} onSelectRange={() => undefined} />);
    const xs = [...container.querySelectorAll('.chart-hit')].map((hit) => Number(hit.getAttribute('x')));
    const widths = [...container.querySelectorAll('.chart-hit')].map((hit) => Number(hit.getAttribute('width')));
    // The second bar starts two thirds of the way along; each bar is a third wide (less a gap).
    expect((xs[1]! - xs[0]!) / (widths[0]! + 2)).toBeCloseTo(2);
  });

  it('describes each bar in words, most severe first', () => {
    render(<PriorityTimeChart bars={bars} domain={domain} onSelectRange={() => undefined} />);
    const label = screen.getAllByTestId('chart-bar')[0]!.getAttribute('aria-label');
    expect(label).toMatch(/4 alerts \(3 Error, 1 Notice\)$/);
  });

  it('selects a bar’s time range on click and with Enter', () => {
    const onSelectRange = vi.fn();
    render(<PriorityTimeChart bars={bars} domain={domain} onSelectRange={onSelectRange} />);
    const [first, second] = screen.getAllByTestId('chart-bar');
    fireEvent.click(second!);
    fireEvent.keyDown(first!, { key: 'Enter' });
    fireEvent.keyDown(first!, { key: 'a' });
    expect(onSelectRange.mock.calls).toEqual([
      [120_000, 180_000],
      [0, 60_000],
    ]);
  });

  it('draws nothing without bars', () => {
    const { container } = render(<PriorityTimeChart bars={[]} domain={domain} onSelectRange={() => undefined} />);
    expect(container.innerHTML).toBe('');
  });
});

describe('niceMax', () => {
  it('rounds up to 1, 2 or 5 times a power of ten', () => {
    expect([1, 3, 7, 10, 11, 240, 5001].map(niceMax)).toEqual([1, 5, 10, 10, 20, 500, 10_000]);
  });
});
