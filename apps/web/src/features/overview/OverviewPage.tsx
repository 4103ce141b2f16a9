import { useMemo } from 'react';
import { Link, useLocation } from 'react-router';
import { ErrorMessage } from '../../components/ErrorMessage';
import { AlertFilterBar } from '../alerts/components/AlertFilterBar';
import { useAlertFilter } from '../alerts/hooks/use-alert-filter';
import { TOP_FACETS, type TopFacet } from '../alerts/api/alert-stats-api';
import { PriorityTimeChart } from './components/PriorityTimeChart';
import { PriorityTotals } from './components/PriorityTotals';
import { TopValues } from './components/TopValues';
import { useAlertStats } from './hooks/use-alert-stats';
import './overview.css';
import { mergeBuckets, rangeSpanMs, timeDomain } from './utils/time-buckets';

const TITLES: Record<TopFacet, string> = {
  rule: 'Top rules',
  namespace: 'Top namespaces',
  pod: 'Top pods',
  source: 'By source',
  hostname: 'By host',
  tag: 'By tag',
};

/** Counts for the URL's filter, aggregated on the hub and refreshed live; every bar narrows the filter. */
export function OverviewPage() {
  const { filter, setFilterParams, clearFilter } = useAlertFilter();
  const { search } = useLocation();
  const query = useAlertStats(filter);
  const stats = query.data;
  const since = filter.since?.[0];
  const until = filter.until?.[0];
  const { domain, bars } = useMemo(() => {
    const axis = stats && timeDomain(stats.series, stats.bucketMs, rangeSpanMs(since, until));
    return { domain: axis, bars: stats && axis ? mergeBuckets(stats.series, stats.bucketMs, axis) : [] };
  }, [stats, since, until]);

  return (
    <div className="overview-page">
      <div className="alerts-toolbar">
        <AlertFilterBar filter={filter} onFilterChange={setFilterParams} onClear={clearFilter} />
      </div>
      {query.isError && <ErrorMessage title="Could not load the overview" error={query.error} />}
      {query.isPending && !query.isError && (
        <p className="page-status" role="status">
          Counting alerts…
        </p>
      )}
      {stats && (
        <div className={query.isPlaceholderData ? 'overview-grid stale' : 'overview-grid'} aria-busy={query.isFetching}>
          <section className="overview-card overview-wide" aria-labelledby="overview-time-title">
            <div className="overview-card-header">
              <h2 id="overview-time-title">
                <span data-testid="overview-total">{stats.total.toLocaleString()}</span> alert
                {stats.total === 1 ? '' : 's'} over time
              </h2>
              <Link className="button button-small" to={{ pathname: '/', search }} data-testid="overview-to-alerts">
                List them
              </Link>
            </div>
            {stats.truncated && (
              <p className="muted" role="note">
                Counted from the newest {stats.scanned.toLocaleString()} matching alerts; narrow the time range for
                exact counts.
              </p>
            )}
            <PriorityTotals byPriority={stats.byPriority} />
            {domain && bars.length > 0 ? (
              <PriorityTimeChart
                bars={bars}
                domain={domain}
                onSelectRange={(start, end) =>
                  setFilterParams({ since: [new Date(start).toISOString()], until: [new Date(end).toISOString()] })
                }
              />
            ) : (
              <p className="muted">No alerts match this filter.</p>
            )}
          </section>
          {TOP_FACETS.map((facet) => (
            <TopValues
              key={facet}
              facet={facet}
              title={TITLES[facet]}
              values={stats.top[facet]}
              selected={filter[facet] ?? []}
              onSelect={(value) => setFilterParams({ [facet]: [value] })}
            />
          ))}
        </div>
      )}
    </div>
  );
}
