import { useRef } from 'react';
import type { AlertFilterParams } from '../api/alert-filter-params';
import { alertExportUrl, type ExportFormat } from '../api/alerts-api';

interface ExportMenuProps {
  filter: AlertFilterParams;
}

const FORMATS: { format: ExportFormat; label: string }[] = [
  { format: 'csv', label: 'CSV' },
  { format: 'json', label: 'JSON array' },
  { format: 'ndjson', label: 'JSON lines' },
];

/** Downloads of every alert matching the filter (not only those loaded), streamed by the hub. */
export function ExportMenu({ filter }: ExportMenuProps) {
  const menuRef = useRef<HTMLDetailsElement>(null);
  // The download starts in the background; the menu closes so the page is as it was.
  const close = () => menuRef.current?.removeAttribute('open');
  return (
    <details className="export-menu" ref={menuRef}>
      <summary className="button button-small" data-testid="export-menu">
        Export
      </summary>
      <ul className="export-options" aria-label="Export the filtered alerts as">
        {FORMATS.map(({ format, label }) => (
          <li key={format}>
            <a href={alertExportUrl(filter, format)} download data-testid={`export-${format}`} onClick={close}>
              {label}
            </a>
          </li>
        ))}
      </ul>
    </details>
  );
}
