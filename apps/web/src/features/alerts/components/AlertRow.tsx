import { alertNamespace, alertPod, alertTimeMs, type Alert } from '@harrier/alert';
import { memo } from 'react';
import { alertImage } from '../utils/alert-image';
import { PriorityBadge } from './PriorityBadge';

const timeFormat = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

function localTime(alert: Alert): string {
  const ms = alertTimeMs(alert);
  return Number.isNaN(ms) ? alert.time : timeFormat.format(ms);
}

interface AlertRowProps {
  alert: Alert;
  /** Position in the whole list (rows outside the view are not rendered). */
  index: number;
  selected: boolean;
  onOpen: (id: string) => void;
}

/** One alert on one line; every value is rendered as text, since producers and attackers control them. */
export const AlertRow = memo(function AlertRow({ alert, index, selected, onOpen }: AlertRowProps) {
  const target = [alertNamespace(alert), alertPod(alert)].filter((part) => part !== undefined).join(' / ');
  const image = alertImage(alert);
  const tags = alert.tags.join(', ');
  return (
    <tr
      data-testid="alert-row"
      data-index={index}
      aria-rowindex={index + 2}
      data-priority={alert.priority}
      data-rule={alert.rule}
      aria-current={selected || undefined}
      onClick={() => onOpen(alert.id)}
    >
      <td className="cell-clip">
        <time dateTime={alert.time} title={alert.time}>
          {localTime(alert)}
        </time>
      </td>
      <td>
        <PriorityBadge priority={alert.priority} />
      </td>
      <td title={alert.rule}>
        {/* The row opens on click too; the button makes it reachable from the keyboard. */}
        <button type="button" className="row-open cell-clip" aria-label={`Details of ${alert.rule}`}>
          {alert.rule}
        </button>
      </td>
      <td className="cell-clip alert-output" title={alert.output}>
        {alert.output}
      </td>
      <td className="cell-clip" title={target}>
        {target || <span className="muted">—</span>}
      </td>
      <td className="cell-clip" title={image}>
        {image ?? <span className="muted">—</span>}
      </td>
      <td className="cell-clip" title={alert.source}>
        {alert.source}
      </td>
      <td className="cell-clip" title={alert.hostname}>
        {alert.hostname || <span className="muted">—</span>}
      </td>
      <td className="cell-clip" title={tags}>
        {alert.tags.map((tag) => (
          <span key={tag} className="tag-chip">
            {tag}
          </span>
        ))}
      </td>
    </tr>
  );
});
