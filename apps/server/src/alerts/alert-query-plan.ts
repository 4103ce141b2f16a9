/**
 * How a query reads one counter bucket's index slots (`redis-alert.store.ts`), planned from the bucket's counts.
 *
 * Index slots and counter fields are both split by priority, and an alert has one priority, so each filtered priority
 * is planned on its own: where some filtered facet counts 0 among that priority's alerts, none of them can match,
 * whatever the facet counts among other priorities (a pod seen only in Warning audit events and `source: syscall`,
 * seen only in Notice, Error and Critical, never meet). Among the others, the facet with the fewest alerts drives
 * (the union of its slots) and the facets at most INTERSECT_FACTOR times larger are intersected with it.
 */
import { FACETS, PRIORITIES, type AlertFilter, type Facet } from '@harrier/alert';
import { facetParts, type FacetPart } from './alert-counters.js';

/** Another filtered facet's slots are read and intersected when they hold at most this many times the driver's. */
export const INTERSECT_FACTOR = 8;

const ALL_PRIORITIES = PRIORITIES.map((_, i) => String(i));

/** A filter as the counters and slots see it. */
export interface QueryShape {
  /** The filtered priorities (indices in PRIORITIES, as strings). */
  priorities: readonly string[];
  /**
   * Each filtered facet's (value, priority) parts, by priority. The priority facet is left out when another facet
   * is filtered: those parts are already restricted to the filtered priorities.
   */
  facets: readonly { facet: Facet; parts: ReadonlyMap<string, readonly FacetPart[]> }[];
  /** The counter fields of every part (besides the priorities' totals, which a plan also reads). */
  partFields: readonly string[];
  /**
   * Whether the slots read are exactly the matches, and the estimates exact counts: one facet (or none) and no text
   * search. Otherwise `matchesFilter` has the final word and estimates of intersections are guesses.
   */
  exact: boolean;
}

/** A union of slots: the log's (`facet` undefined), or one facet's parts, all of one priority. */
export interface SlotSource {
  facet: Facet | undefined;
  parts: readonly FacetPart[];
}

/**
 * The candidates of one priority (of every filtered priority for the log): the first source's union, intersected with
 * the others'.
 */
export interface SlotGroup {
  /** The priority's index, or undefined for the log. */
  priority: string | undefined;
  sources: readonly SlotSource[];
  /** The matches to expect if the filtered facets were independent among the priority's alerts. */
  estimate: number;
  /** The index entries its sources hold. */
  entries: number;
}

export interface BucketPlan {
  /** One per priority that can match (or one reading the log when nothing is filtered by facet). */
  groups: readonly SlotGroup[];
  /** The groups' estimates, summed. */
  estimate: number;
  /** The index entries the groups' sources hold. */
  entries: number;
}

export function queryShape(filter: AlertFilter): QueryShape {
  const priorities = filter.priority ? filter.priority.map((p) => String(PRIORITIES.indexOf(p))) : ALL_PRIORITIES;
  const filtered = FACETS.filter((facet) => filter[facet] !== undefined);
  const planned = filtered.length > 1 ? filtered.filter((facet) => facet !== 'priority') : filtered;
  const facets = planned.map((facet) => {
    const parts = new Map<string, FacetPart[]>();
    for (const part of facetParts(facet, filter[facet]!, priorities)) {
      const list = parts.get(part.priority);
      if (list) list.push(part);
      else parts.set(part.priority, [part]);
    }
    return { facet, parts };
  });
  // The priority facet's parts are counted by the priorities' own fields.
  const fields = facets.flatMap((f) => [...f.parts.values()].flat().map((p) => p.field));
  const partFields = [...new Set(fields)].filter((f) => !priorities.includes(f));
  return { priorities, facets, partFields, exact: facets.length <= 1 && filter.q === undefined };
}

/**
 * The plan for a bucket with these counts (of the shape's fields; absent ones count 0), or undefined when nothing
 * there can match.
 */
export function planBucket(shape: QueryShape, counts: ReadonlyMap<string, number>): BucketPlan | undefined {
  const count = (field: string) => counts.get(field) ?? 0;
  if (shape.facets.length === 0) {
    const total = shape.priorities.reduce((sum, p) => sum + count(p), 0);
    if (total === 0) return undefined;
    const log = { priority: undefined, sources: [{ facet: undefined, parts: [] }], estimate: total, entries: total };
    return bucketPlan([log]);
  }
  const groups: SlotGroup[] = [];
  for (const priority of shape.priorities) {
    const total = count(priority);
    if (total === 0) continue;
    const sized: { source: SlotSource; size: number }[] = [];
    for (const { facet, parts } of shape.facets) {
      const present = (parts.get(priority) ?? []).filter((p) => count(p.field) > 0);
      if (present.length === 0) break;
      sized.push({ source: { facet, parts: present }, size: present.reduce((sum, p) => sum + count(p.field), 0) });
    }
    if (sized.length < shape.facets.length) continue;
    sized.sort((a, b) => a.size - b.size);
    const limit = sized[0]!.size * INTERSECT_FACTOR;
    const read = sized.filter((s, i) => i === 0 || s.size <= limit);
    // A facet of several values (tags) can count an alert more than once: its share is at most 1.
    const estimate = sized.reduce((e, s) => e * Math.min(s.size / total, 1), total);
    const entries = read.reduce((sum, s) => sum + s.size, 0);
    groups.push({ priority, sources: read.map((s) => s.source), estimate, entries });
  }
  return groups.length === 0 ? undefined : bucketPlan(groups);
}

/** A plan of these groups. */
export function bucketPlan(groups: readonly SlotGroup[]): BucketPlan {
  let estimate = 0;
  let entries = 0;
  for (const g of groups) {
    estimate += g.estimate;
    entries += g.entries;
  }
  return { groups, estimate, entries };
}

/**
 * Plans for some minutes of an hour (0–59) from the hour's plan and its per-minute counts by priority (fields
 * `{minute}:{priority}`): each group whose priority has alerts in the minute, its estimate and entries spread by the
 * minute's share of them; undefined for a minute without any.
 */
export function planMinutes(
  shape: QueryShape,
  hour: BucketPlan,
  series: ReadonlyMap<string, number>,
  minutes: readonly number[],
): (BucketPlan | undefined)[] {
  const byPriority = new Map<string, number[]>();
  for (const [field, n] of series) {
    const colon = field.indexOf(':');
    const priority = field.slice(colon + 1);
    let counts = byPriority.get(priority);
    if (!counts) byPriority.set(priority, (counts = new Array<number>(60).fill(0)));
    counts[Number(field.slice(0, colon))]! += n;
  }
  // Per group, its priority's alerts in each minute and in the hour; the log's group counts every filtered priority.
  const spreads = hour.groups.map(({ priority }) => {
    const perMinute = new Array<number>(60).fill(0);
    for (const p of priority === undefined ? shape.priorities : [priority]) {
      byPriority.get(p)?.forEach((n, minute) => (perMinute[minute]! += n));
    }
    return { perMinute, inHour: perMinute.reduce((a, b) => a + b, 0) };
  });
  return minutes.map((minute) => {
    const groups: SlotGroup[] = [];
    hour.groups.forEach((g, i) => {
      const { perMinute, inHour } = spreads[i]!;
      const share = (perMinute[minute] ?? 0) / inHour;
      if (share > 0) groups.push({ ...g, estimate: g.estimate * share, entries: g.entries * share });
    });
    return groups.length === 0 ? undefined : bucketPlan(groups);
  });
}
