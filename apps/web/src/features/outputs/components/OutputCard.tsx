import type { OutputStatus } from '../api/outputs-api';
import { outputHealth, type OutputHealth } from '../utils/output-health';
import { DeadLetterList } from './DeadLetterList';
import { OutputConfig } from './OutputConfig';
import { Timestamp } from './Timestamp';

const HEALTH_LABELS: Record<OutputHealth, string> = {
  failing: 'Failing',
  'dead-letters': 'Has dead letters',
  healthy: 'Healthy',
  idle: 'No deliveries yet',
};

interface OutputCardProps {
  output: OutputStatus;
  /** When the status was read. */
  now: number;
}

export function OutputCard({ output, now }: OutputCardProps) {
  const { name, type, config, counters, depth } = output;
  const health = outputHealth(output);
  const stats = [
    { id: 'delivered', label: 'Delivered', value: counters.delivered },
    { id: 'failed', label: 'Failed attempts', value: counters.failed },
    { id: 'retried', label: 'Retried', value: counters.retried },
    { id: 'queued', label: 'Queued', value: depth.queued },
    { id: 'retrying', label: 'Waiting to retry', value: depth.retrying },
    { id: 'dead', label: 'Dead letters', value: depth.dead },
  ];

  return (
    <article className="output-card" data-testid="output-card" data-output={name} aria-labelledby={`output-${name}`}>
      <header className="output-card-header">
        <h2 id={`output-${name}`}>{name}</h2>
        <span className="output-type">{type}</span>
        <span className="output-health" data-testid="output-health" data-health={health}>
          {HEALTH_LABELS[health]}
        </span>
      </header>
      <dl className="output-stats">
        {stats.map((stat) => (
          <div key={stat.id} className="output-stat">
            <dt>{stat.label}</dt>
            <dd data-testid={`output-${stat.id}`}>{stat.value}</dd>
          </div>
        ))}
      </dl>
      <dl className="output-last">
        <dt>Last success</dt>
        <dd data-testid="output-last-success">
          {counters.lastSuccessAt === undefined ? 'never' : <Timestamp at={counters.lastSuccessAt} now={now} />}
        </dd>
        <dt>Last error</dt>
        <dd data-testid="output-last-error">
          {counters.lastErrorAt === undefined ? (
            'none'
          ) : (
            <>
              <Timestamp at={counters.lastErrorAt} now={now} />
              {counters.lastError !== undefined && <span className="output-error-text">{counters.lastError}</span>}
            </>
          )}
        </dd>
      </dl>
      <OutputConfig config={config} />
      <DeadLetterList output={name} count={depth.dead} />
    </article>
  );
}
