import { PriorityBadge } from '../../alerts/components/PriorityBadge';
import { DEAD_LETTER_LIMIT } from '../api/outputs-api';
import { useDeadLetters, useRedrive } from '../hooks/use-outputs';
import { Timestamp } from './Timestamp';

interface DeadLetterListProps {
  output: string;
  /** Dead letters the output holds, from its queue depth. */
  count: number;
}

/** What an output gave up on, newest first, each with its last error and a re-drive. */
export function DeadLetterList({ output, count }: DeadLetterListProps) {
  const query = useDeadLetters(output, count > 0);
  const redrive = useRedrive(output);
  if (count === 0) return null;
  const letters = query.data ?? [];

  return (
    <section className="dead-letters" aria-label={`Dead letters of ${output}`}>
      <div className="dead-letters-header">
        <h3>
          Dead letters <span className="muted">({count})</span>
        </h3>
        <button
          type="button"
          className="button button-small"
          data-testid="redrive-all"
          disabled={redrive.isPending}
          onClick={() => redrive.mutate(undefined)}
        >
          Re-drive all
        </button>
      </div>
      {query.isPending && <p className="muted">Loading…</p>}
      {letters.length > 0 && (
        <div className="table-scroll">
          <table className="dead-letter-table">
            <thead>
              <tr>
                <th scope="col">Failed</th>
                <th scope="col">Alert</th>
                <th scope="col">Attempts</th>
                <th scope="col">Error</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {letters.map(({ job, error, failedAt }) => (
                <tr key={job.id} data-testid="dead-letter" data-id={job.id} data-rule={job.alert.rule}>
                  <td>
                    <Timestamp at={failedAt} now={query.dataUpdatedAt} />
                  </td>
                  <td>
                    <PriorityBadge priority={job.alert.priority} /> {job.alert.rule}
                  </td>
                  <td>{job.attempts}</td>
                  <td className="dead-letter-error">{error}</td>
                  <td>
                    <button
                      type="button"
                      className="button button-small"
                      data-testid="redrive-one"
                      disabled={redrive.isPending}
                      aria-label={`Re-drive ${job.alert.rule} from ${new Date(failedAt).toISOString()}`}
                      onClick={() => redrive.mutate([job.id])}
                    >
                      Re-drive
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {count > DEAD_LETTER_LIMIT && (
        <p className="muted">
          Showing the newest {DEAD_LETTER_LIMIT}; &ldquo;Re-drive all&rdquo; takes all {count}.
        </p>
      )}
    </section>
  );
}
