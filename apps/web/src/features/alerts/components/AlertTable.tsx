import type { Alert } from '@harrier/alert';
import { AlertRow } from './AlertRow';

interface AlertTableProps {
  alerts: readonly Alert[];
  /** Rows belong to the previous filter while the new one loads. */
  stale: boolean;
  selectedId: string | undefined;
  onOpen: (id: string) => void;
}

export function AlertTable({ alerts, stale, selectedId, onOpen }: AlertTableProps) {
  return (
    <div className="table-scroll">
      <table className="alert-table" aria-busy={stale} data-stale={stale}>
        <caption className="visually-hidden">Alerts, newest first</caption>
        <colgroup>
          <col className="col-time" />
          <col className="col-priority" />
          <col className="col-rule" />
          <col />
          <col className="col-target" />
          <col className="col-image" />
          <col className="col-source" />
          <col className="col-host" />
          <col className="col-tags" />
        </colgroup>
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Priority</th>
            <th scope="col">Rule</th>
            <th scope="col">Output</th>
            <th scope="col">Namespace / pod</th>
            <th scope="col">Container image</th>
            <th scope="col">Source</th>
            <th scope="col">Host</th>
            <th scope="col">Tags</th>
          </tr>
        </thead>
        <tbody>
          {alerts.map((alert) => (
            <AlertRow key={alert.id} alert={alert} selected={alert.id === selectedId} onOpen={onOpen} />
          ))}
        </tbody>
      </table>
    </div>
  );
}
