/** The alert filter as the dashboard URL, the API query string and the live subscription all spell it. */
import { FACETS } from '@harrier/alert';

export const FILTER_PARAMS = [...FACETS, 'since', 'until', 'q'] as const;
export type FilterParam = (typeof FILTER_PARAMS)[number];

/** Parameter name → its values in URL order; names without a value are absent. */
export type AlertFilterParams = Partial<Record<FilterParam, string[]>>;

/** The filter part of a URL's search, in a fixed order so that equal filters make equal query keys. */
export function filterParamsFromSearch(search: URLSearchParams): AlertFilterParams {
  const params: AlertFilterParams = {};
  for (const name of FILTER_PARAMS) {
    const values = search.getAll(name).filter((value) => value.trim() !== '');
    if (values.length > 0) params[name] = values;
  }
  return params;
}

/** Parameters to replace at once; an empty list removes one. */
export type FilterChanges = Partial<Record<FilterParam, readonly string[]>>;

/** `search` with `name` set to `values` (blank ones dropped) and everything else kept. */
export function withFilterParam(
  search: URLSearchParams,
  name: FilterParam,
  values: readonly string[],
): URLSearchParams {
  const next = new URLSearchParams(search);
  next.delete(name);
  for (const value of values) {
    if (value.trim() !== '') next.append(name, value.trim());
  }
  return next;
}

/** `search` with each parameter in `changes` set to its values (as `withFilterParam`), everything else kept. */
export function withFilterParams(search: URLSearchParams, changes: FilterChanges): URLSearchParams {
  let next = search;
  for (const [name, values] of Object.entries(changes) as [FilterParam, readonly string[]][]) {
    next = withFilterParam(next, name, values);
  }
  return next;
}

export function withoutFilterParams(search: URLSearchParams): URLSearchParams {
  const next = new URLSearchParams(search);
  for (const name of FILTER_PARAMS) next.delete(name);
  return next;
}
