import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TopValues } from './TopValues';

afterEach(cleanup);

describe('TopValues', () => {
  const values = [
    { value: 'payments', count: 40 },
    { value: 'web', count: 10 },
  ];

  it('lists values with counts and bars relative to the largest, marking the chosen ones', () => {
    render(
      <TopValues title="Top namespaces" facet="namespace" values={values} selected={['web']} onSelect={vi.fn()} />,
    );
    const items = screen.getAllByTestId('top-item');
    expect(items.map((item) => item.textContent)).toEqual(['payments40', 'web10']);
    expect(items.map((item) => item.getAttribute('aria-pressed'))).toEqual(['false', 'true']);
    const widths = items.map((item) => (item.querySelector('.top-bar') as HTMLElement).style.width);
    expect(widths).toEqual(['100%', '25%']);
  });

  it('filters by a value when it is chosen', () => {
    const onSelect = vi.fn();
    render(<TopValues title="Top namespaces" facet="namespace" values={values} selected={[]} onSelect={onSelect} />);
    fireEvent.click(screen.getByRole('button', { name: /payments/ }));
    expect(onSelect).toHaveBeenCalledWith('payments');
  });

  it('says so when there is nothing to list', () => {
    render(<TopValues title="By tag" facet="tag" values={[]} selected={[]} onSelect={vi.fn()} />);
    expect(screen.getByTestId('top-tag').textContent).toContain('None in this range.');
  });
});
