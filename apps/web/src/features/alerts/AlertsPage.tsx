import type { Alert } from '@harrier/alert';
import { useCallback, useMemo, useState } from 'react';
import { ErrorMessage } from '../../components/ErrorMessage';
import './alerts.css';
import { AlertDetailsPanel } from './components/AlertDetailsPanel';
import { AlertFilterBar } from './components/AlertFilterBar';
import { AlertTable } from './components/AlertTable';
import { ExportMenu } from './components/ExportMenu';
import { FalcoSetupHint } from './components/FalcoSetupHint';
import { LiveControls } from './components/LiveControls';
import { LoadMoreButton } from './components/LoadMoreButton';
import { NoMatchingAlerts } from './components/NoMatchingAlerts';
import { useAlertFilter } from './hooks/use-alert-filter';
import { useAlerts } from './hooks/use-alerts';
import { useLiveAlerts } from './hooks/use-live-alerts';
import { useSelectedAlert } from './hooks/use-selected-alert';

const NO_ALERTS: readonly Alert[] = [];

/** Home: alert history for the URL's filter, newest first, with matching alerts added live. */
export function AlertsPage() {
  const { filter, setFilterParam, setFilterParams, clearFilter } = useAlertFilter();
  const query = useAlerts(filter);
  const { selectedId, openAlert, closeAlert } = useSelectedAlert();
  const [paused, setPaused] = useState(false);
  const { perMinute, heldCount } = useLiveAlerts(filter, paused);

  const alerts = useMemo(() => query.data?.pages.flatMap((page) => page.alerts) ?? NO_ALERTS, [query.data]);
  const filtered = Object.keys(filter).length > 0;
  const { fetchNextPage } = query;
  const loadMore = useCallback(() => void fetchNextPage(), [fetchNextPage]);

  let body;
  if (query.isPending) {
    body = (
      <p className="page-status" role="status">
        Loading alerts…
      </p>
    );
  } else if (alerts.length > 0) {
    body = (
      <>
        <AlertTable
          alerts={alerts}
          stale={query.isPlaceholderData}
          selectedId={selectedId}
          onOpen={openAlert}
          hasMore={query.hasNextPage}
          loadingMore={query.isFetchingNextPage}
          onLoadMore={loadMore}
        />
        <LoadMoreButton
          hasMore={query.hasNextPage}
          loading={query.isFetchingNextPage}
          disabled={query.isPlaceholderData}
          onLoadMore={loadMore}
        />
      </>
    );
  } else if (query.isError) {
    body = null;
  } else {
    body = filtered ? <NoMatchingAlerts onClear={clearFilter} /> : <FalcoSetupHint />;
  }

  return (
    <div className="alerts-page">
      <div className="alerts-toolbar">
        <AlertFilterBar filter={filter} onFilterChange={setFilterParams} onClear={clearFilter} />
        <div className="toolbar-actions">
          <LiveControls paused={paused} perMinute={perMinute} heldCount={heldCount} onPausedChange={setPaused} />
          <ExportMenu filter={filter} />
        </div>
      </div>
      {query.isError && <ErrorMessage title="Could not load alerts" error={query.error} />}
      {body}
      {selectedId !== undefined && (
        <AlertDetailsPanel alertId={selectedId} onFilterChange={setFilterParam} onClose={closeAlert} />
      )}
    </div>
  );
}
