import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import {
  filterParamsFromSearch,
  withFilterParam,
  withoutFilterParams,
  type AlertFilterParams,
  type FilterParam,
} from '../api/alert-filter-params';

export interface AlertFilterState {
  filter: AlertFilterParams;
  setFilterParam: (name: FilterParam, values: readonly string[]) => void;
  clearFilter: () => void;
}

/** The alert filter, kept in the URL so a view can be shared, bookmarked and reloaded. */
export function useAlertFilter(): AlertFilterState {
  const [search, setSearch] = useSearchParams();
  const filter = useMemo(() => filterParamsFromSearch(search), [search]);
  const setFilterParam = useCallback(
    (name: FilterParam, values: readonly string[]) => setSearch((current) => withFilterParam(current, name, values)),
    [setSearch],
  );
  const clearFilter = useCallback(() => setSearch(withoutFilterParams), [setSearch]);
  return { filter, setFilterParam, clearFilter };
}
