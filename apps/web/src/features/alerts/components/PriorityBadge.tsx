import type { Priority } from '@harrier/alert';

interface PriorityBadgeProps {
  priority: Priority;
}

/** The priority's name on its colour, so it reads the same without colour. */
export function PriorityBadge({ priority }: PriorityBadgeProps) {
  return (
    <span className="priority-badge" data-priority={priority}>
      {priority}
    </span>
  );
}
