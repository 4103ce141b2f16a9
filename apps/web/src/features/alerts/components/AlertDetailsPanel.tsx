import { alertNamespace, alertPod, type Alert } from '@harrier/alert';
import { useEffect, useRef } from 'react';
import { CopyButton } from '../../../components/CopyButton';
import { ErrorMessage } from '../../../components/ErrorMessage';
import type { FilterParam } from '../api/alert-filter-params';
import { useAlertDeliveries } from '../hooks/use-alert-deliveries';
import { useAlertDetails } from '../hooks/use-alert-details';
import { alertImage } from '../utils/alert-image';
import { AlertFieldsTable } from './AlertFieldsTable';
import { DeliveryStatusList } from './DeliveryStatusList';
import { PriorityBadge } from './PriorityBadge';

interface AlertDetailsPanelProps {
  alertId: string;
  onFilterChange: (name: FilterParam, values: readonly string[]) => void;
  onClose: () => void;
}

/** The selected alert beside the list: its facts, every output field, the raw JSON, and filters taken from it. */
export function AlertDetailsPanel({ alertId, onFilterChange, onClose }: AlertDetailsPanelProps) {
  const query = useAlertDetails(alertId);
  const headingRef = useRef<HTMLHeadingElement>(null);

  // Keyboard users land in the panel when it opens, leave it with Escape, and are back where they were after.
  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    return () => {
      if (opener?.isConnected) opener.focus();
    };
  }, []);
  useEffect(() => {
    headingRef.current?.focus();
  }, [alertId]);
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [onClose]);

  return (
    <aside className="details-panel" data-testid="alert-details" aria-labelledby="alert-details-title">
      <header className="details-header">
        <h2 id="alert-details-title" ref={headingRef} tabIndex={-1}>
          Alert details
        </h2>
        <button type="button" className="button button-small" data-testid="details-close" onClick={onClose}>
          Close <span className="muted">(Esc)</span>
        </button>
      </header>
      {query.isError && <ErrorMessage title="Could not load the alert" error={query.error} />}
      {query.isPending && !query.isError && (
        <p className="page-status" role="status">
          Loading…
        </p>
      )}
      {query.data && <AlertDetails alert={query.data} onFilterChange={onFilterChange} />}
    </aside>
  );
}

interface AlertDetailsProps {
  alert: Alert;
  onFilterChange: (name: FilterParam, values: readonly string[]) => void;
}

function AlertDetails({ alert, onFilterChange }: AlertDetailsProps) {
  const namespace = alertNamespace(alert);
  const pod = alertPod(alert);
  const image = alertImage(alert);
  const json = JSON.stringify(alert, null, 2);
  const filters: { name: FilterParam; label: string; value: string | undefined }[] = [
    { name: 'rule', label: 'rule', value: alert.rule },
    { name: 'namespace', label: 'namespace', value: namespace },
    { name: 'pod', label: 'pod', value: pod },
  ];

  return (
    <div className="details-body">
      <p className="details-rule">
        <PriorityBadge priority={alert.priority} /> <strong>{alert.rule}</strong>
      </p>
      <p className="details-output">{alert.output}</p>
      <div className="details-actions" role="group" aria-label="Filter the list by this alert">
        {filters.map(({ name, label, value }) =>
          value === undefined ? null : (
            <button
              key={name}
              type="button"
              className="button button-small"
              data-testid={`filter-by-${name}`}
              title={`Show only alerts with ${label} ${value}`}
              onClick={() => onFilterChange(name, [value])}
            >
              Filter by this {label}
            </button>
          ),
        )}
      </div>
      <dl className="details-facts">
        <dt>Time</dt>
        <dd>
          <time dateTime={alert.time}>{alert.time}</time>
        </dd>
        <dt>Namespace / pod</dt>
        <dd>{[namespace ?? '—', pod ?? '—'].join(' / ')}</dd>
        <dt>Container image</dt>
        <dd>{image ?? '—'}</dd>
        <dt>Source</dt>
        <dd>{alert.source}</dd>
        <dt>Host</dt>
        <dd>{alert.hostname || '—'}</dd>
        <dt>Tags</dt>
        <dd>{alert.tags.length > 0 ? alert.tags.join(', ') : '—'}</dd>
        <dt>Id</dt>
        <dd>
          <code>{alert.id}</code>
        </dd>
      </dl>
      <h3>Deliveries</h3>
      <AlertDeliveries alertId={alert.id} />
      <h3>Output fields</h3>
      <AlertFieldsTable fields={alert.output_fields} />
      <div className="details-json-header">
        <h3>Raw JSON</h3>
        <CopyButton text={json} label="Copy JSON" testId="copy-json" />
      </div>
      <pre className="code-block details-json" data-testid="alert-json">
        {json}
      </pre>
    </div>
  );
}

function AlertDeliveries({ alertId }: { alertId: string }) {
  const query = useAlertDeliveries(alertId);
  if (query.isError) return <ErrorMessage title="Could not load the delivery status" error={query.error} />;
  if (query.isPending) {
    return (
      <p className="muted" role="status">
        Loading…
      </p>
    );
  }
  return <DeliveryStatusList deliveries={query.data} />;
}
