import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { DeliveryStatusList } from './DeliveryStatusList';

afterEach(cleanup);

describe('DeliveryStatusList', () => {
  it('shows each output’s state in words, its attempts and the last error', () => {
    render(
      <DeliveryStatusList
        deliveries={[
          { output: 'slack', state: 'delivered', attempts: 1, updatedAt: 1_000 },
          {
            output: 'hook',
            state: 'retrying',
            attempts: 2,
            updatedAt: 2_000,
            nextAttemptAt: 9_000,
            lastError: 'HTTP 503',
          },
          { output: 'mail', state: 'dead', attempts: 3, updatedAt: 3_000, lastError: '<b>550</b> mailbox unknown' },
          { output: 'queue', state: 'queued', attempts: 0 },
        ]}
      />,
    );
    const rows = screen.getAllByTestId('delivery-row');
    expect(rows.map((row) => [row.getAttribute('data-output'), row.getAttribute('data-state')])).toEqual([
      ['slack', 'delivered'],
      ['hook', 'retrying'],
      ['mail', 'dead'],
      ['queue', 'queued'],
    ]);
    expect(rows[0]!.textContent).toContain('Delivered');
    expect(rows[1]!.textContent).toContain('Retrying');
    expect(rows[1]!.textContent).toContain('next try');
    expect(rows[1]!.textContent).toContain('HTTP 503');
    expect(rows[2]!.textContent).toContain('Dead-lettered');
    // Error text from a peer is shown as text, never as markup.
    expect(rows[2]!.textContent).toContain('<b>550</b> mailbox unknown');
    expect(rows[2]!.querySelector('b')).toBeNull();
    expect(rows[3]!.textContent).toContain('Queued');
  });

  it('says so when no output takes the alert', () => {
    const { container } = render(<DeliveryStatusList deliveries={[]} />);
    expect(container.textContent).toBe('No output takes this alert.');
  });
});
