import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import {
  filterParamsFromSearch,
  withFilterParams,
  withoutFilterParams,
  type AlertFilterParams,
  type FilterChanges,
  type FilterParam,
} from '../api/alert-filter-params';

export interface AlertFilterState {
  filter: AlertFilterParams;
  setFilterParam: (name: FilterParam, values: readonly string[]) => void;
  /** Several parameters in one URL change (one history entry, one fetch). */
  setFilterParams: (changes: FilterChanges) => void;
  clearFilter: () => void;
}

/** The alert filter, kept in the URL so a view can be shared, bookmarked and reloaded. */
export function useAlertFilter(): AlertFilterState {
  const [search, setSearch] = useSearchParams();
  const filter = useMemo(() => filterParamsFromSearch(search), [search]);
  const setFilterParams = useCallback(
    (changes: FilterChanges) => setSearch((current) => withFilterParams(current, changes)),
    [setSearch],
  );
  const setFilterParam = useCallback(
    (name: FilterParam, values: readonly string[]) => setFilterParams({ [name]: values }),
    [setFilterParams],
  );
  const clearFilter = useCallback(() => setSearch(withoutFilterParams), [setSearch]);
  return { filter, setFilterParam, setFilterParams, clearFilter };
}
