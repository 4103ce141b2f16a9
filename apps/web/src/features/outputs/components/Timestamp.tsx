import { timeAgo } from '../utils/output-health';

interface TimestampProps {
  at: number;
  /** The moment the data was read, so "ago" is measured from when the hub said it. */
  now: number;
}

export function Timestamp({ at, now }: TimestampProps) {
  const iso = new Date(at).toISOString();
  return (
    <time dateTime={iso} title={iso}>
      {timeAgo(at, now)}
    </time>
  );
}
