import type { AlertDelivery, DeliveryState } from '@harrier/alert';

interface DeliveryStatusListProps {
  deliveries: readonly AlertDelivery[];
}

/** Words first, symbol second: the state reads the same without colour. */
const STATE_LABELS: Record<DeliveryState, { icon: string; text: string }> = {
  queued: { icon: '…', text: 'Queued' },
  delivered: { icon: '✓', text: 'Delivered' },
  retrying: { icon: '↻', text: 'Retrying' },
  dead: { icon: '✕', text: 'Dead-lettered' },
};

function formatTime(ms: number): string {
  const date = new Date(ms);
  return date.toLocaleString();
}

/** One row per output the alert was sent to: its state, attempts, when, and the last error. */
export function DeliveryStatusList({ deliveries }: DeliveryStatusListProps) {
  if (deliveries.length === 0) {
    return <p className="muted">No output takes this alert.</p>;
  }
  return (
    <table className="fields-table delivery-table" data-testid="delivery-status">
      <thead>
        <tr>
          <th scope="col">Output</th>
          <th scope="col">Status</th>
          <th scope="col">Attempts</th>
          <th scope="col">Details</th>
        </tr>
      </thead>
      <tbody>
        {deliveries.map((delivery) => {
          const label = STATE_LABELS[delivery.state];
          return (
            <tr
              key={delivery.output}
              data-testid="delivery-row"
              data-output={delivery.output}
              data-state={delivery.state}
            >
              <th scope="row">{delivery.output}</th>
              <td>
                <span className="delivery-state" data-state={delivery.state}>
                  <span aria-hidden="true">{label.icon}</span> {label.text}
                </span>
              </td>
              <td>{delivery.attempts}</td>
              <td>
                {delivery.updatedAt !== undefined && (
                  <time dateTime={new Date(delivery.updatedAt).toISOString()}>{formatTime(delivery.updatedAt)}</time>
                )}
                {delivery.nextAttemptAt !== undefined && delivery.state === 'retrying' && (
                  <div>next try {formatTime(delivery.nextAttemptAt)}</div>
                )}
                {delivery.lastError !== undefined && <div className="delivery-error">{delivery.lastError}</div>}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
