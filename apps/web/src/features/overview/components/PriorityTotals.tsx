import { PRIORITIES, type Priority } from '@harrier/alert';
import { PriorityBadge } from '../../alerts/components/PriorityBadge';

const MOST_SEVERE_FIRST = [...PRIORITIES].reverse();

interface PriorityTotalsProps {
  byPriority: Record<Priority, number>;
}

/** Counts by priority, most severe first; doubles as the chart's legend (badge colour = segment colour). */
export function PriorityTotals({ byPriority }: PriorityTotalsProps) {
  return (
    <ul className="priority-totals" aria-label="Alerts by priority" data-testid="priority-totals">
      {MOST_SEVERE_FIRST.filter((priority) => byPriority[priority] > 0).map((priority) => (
        <li key={priority}>
          <PriorityBadge priority={priority} />{' '}
          <span className="priority-count">{byPriority[priority].toLocaleString()}</span>
        </li>
      ))}
    </ul>
  );
}
