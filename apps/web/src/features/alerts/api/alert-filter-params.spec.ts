import { describe, expect, it } from 'vitest';
import { filterParamsFromSearch, withFilterParam, withFilterParams, withoutFilterParams } from './alert-filter-params';

describe('filterParamsFromSearch', () => {
  it('keeps filter parameters in a fixed order, repeated ones as lists, and drops the rest', () => {
    const search = new URLSearchParams('q=shell&pod=web-1&rule=A&priority=error&rule=B,C&page=2&pod=&since=15m');
    const params = filterParamsFromSearch(search);
    expect(params).toEqual({ priority: ['error'], rule: ['A', 'B,C'], pod: ['web-1'], since: ['15m'], q: ['shell'] });
    expect(Object.keys(params)).toEqual(['priority', 'rule', 'pod', 'since', 'q']);
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

describe('withFilterParams', () => {
  it('replaces several parameters in one step, removing those given no value', () => {
    const next = withFilterParams(new URLSearchParams('since=1h&alert=X&rule=A'), {
      since: ['2026-01-01T00:00:00.000Z'],
      until: ['2026-01-01T00:05:00.000Z'],
      rule: [],
    });
    expect(next.toString()).toBe('alert=X&since=2026-01-01T00%3A00%3A00.000Z&until=2026-01-01T00%3A05%3A00.000Z');
  });
});

describe('withoutFilterParams', () => {
  it('removes every filter parameter and keeps the others', () => {
    expect(withoutFilterParams(new URLSearchParams('priority=error&tab=x&tag=a')).toString()).toBe('tab=x');
  });
});
