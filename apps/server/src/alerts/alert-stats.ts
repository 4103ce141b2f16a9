/** Counts for the overview: totals by priority, top values per facet, and a time series by priority. */
import {
  alertTimeMs,
  facetValues,
  PRIORITIES,
  TOP_FACETS,
  type Alert,
  type AlertStats,
  type Priority,
} from '@harrier/alert';

export { TOP_FACETS, type AlertStats, type FacetCount, type TopFacet } from '@harrier/alert';

export class StatsAccumulator {
  private total = 0;
  private readonly byPriority = Object.fromEntries(PRIORITIES.map((p) => [p, 0])) as Record<Priority, number>;
  private readonly facets = new Map<string, Map<string, number>>(TOP_FACETS.map((f) => [f, new Map()]));
  private readonly buckets = new Map<number, Partial<Record<Priority, number>>>();

  constructor(
    private readonly bucketMs: number,
    private readonly topN: number,
  ) {}

  add(alert: Alert): void {
    this.total++;
    this.byPriority[alert.priority]++;
    for (const facet of TOP_FACETS) {
      const counts = this.facets.get(facet)!;
      for (const value of facetValues(alert, facet)) counts.set(value, (counts.get(value) ?? 0) + 1);
    }
    const t = Math.floor(alertTimeMs(alert) / this.bucketMs) * this.bucketMs;
    const bucket = this.buckets.get(t) ?? {};
    bucket[alert.priority] = (bucket[alert.priority] ?? 0) + 1;
    this.buckets.set(t, bucket);
  }

  result(scanned: number, truncated: boolean): AlertStats {
    const top = Object.fromEntries(
      TOP_FACETS.map((facet) => [
        facet,
        [...this.facets.get(facet)!.entries()]
          .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
          .slice(0, this.topN)
          .map(([value, count]) => ({ value, count })),
      ]),
    ) as AlertStats['top'];
    const series = [...this.buckets.entries()].sort((a, b) => a[0] - b[0]).map(([t, counts]) => ({ t, counts }));
    return {
      total: this.total,
      byPriority: this.byPriority,
      top,
      series,
      bucketMs: this.bucketMs,
      scanned,
      truncated,
      source: 'scan',
    };
  }
}
