import { describe, expect, it } from 'vitest';
import { filterParamsFromSearch, withFilterParam, withoutFilterParams } from './alert-filter-params';

describe('filterParamsFromSearch', () => {
  it('keeps filter parameters in a fixed order, repeated ones as lists, and drops the rest', () => {
    const search = new URLSearchParams('pod=web-1&rule=A&priority=error&rule=B,C&page=2&pod=&since=15m');
    const params = filterParamsFromSearch(search);
    expect(params).toEqual({ priority: ['error'], rule: ['A', 'B,C'], pod: ['web-1'], since: ['15m'] });
    expect(Object.keys(params)).toEqual(['priority', 'rule', 'pod', 'since']);
  });

  it('gives equal objects for the same filter written in another order', () => {
    expect(filterParamsFromSearch(new URLSearchParams('pod=a&priority=error'))).toEqual(
      filterParamsFromSearch(new URLSearchParams('priority=error&pod=a')),
    );
  });
});

describe('withFilterParam', () => {
  it('replaces one parameter, trimming values and dropping blank ones', () => {
    const next = withFilterParam(new URLSearchParams('rule=A&pod=x'), 'rule', [' B ', '']);
    expect(next.toString()).toBe('pod=x&rule=B');
  });

  it('removes the parameter when no value is left', () => {
    expect(withFilterParam(new URLSearchParams('priority=error'), 'priority', ['']).toString()).toBe('');
  });
});

describe('withoutFilterParams', () => {
  it('removes every filter parameter and keeps the others', () => {
    expect(withoutFilterParams(new URLSearchParams('priority=error&tab=x&tag=a')).toString()).toBe('tab=x');
  });
});
