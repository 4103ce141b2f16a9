/** Ingest and query: validation, id assignment, the durable write, then the AlertIngested event. */
import {
  alertTimeMs,
  parseAlertQuery,
  validateFalcoAlert,
  type Alert,
  type FalcoAlert,
  type FieldIssue,
  type QueryParams,
} from '@harrier/alert';
import { Inject, Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { CONFIG } from '../config/config.module.js';
import type { HarrierConfig } from '../config/config.schema.js';
import { outputAccepts } from '../outputs/routing.js';
import { parseDuration } from '../common/duration.js';
import { AlertIdGenerator } from './alert-id.js';
import { StatsAccumulator, type AlertStats } from './alert-stats.js';
import { createEnricher, type Enricher } from './enrich.js';
import { ALERT_STORE, type AlertPage, type AlertStore } from './alert.store.js';
import { ALERT_INGESTED, ALERT_REJECTED, AlertIngested } from './alert.events.js';
import { AlertNotFoundError, ValidationFailedError } from './alerts.errors.js';

const STATS_SCAN_CAP = 100_000;
/** The most alerts one `POST /` array may carry. */
export const MAX_BATCH = 10_000;

@Injectable()
export class AlertsService {
  private readonly ids = new AlertIdGenerator();
  private readonly enricher: Enricher;

  constructor(
    @Inject(CONFIG) private readonly config: HarrierConfig,
    @Inject(ALERT_STORE) private readonly store: AlertStore,
    @Inject(EventEmitter2) private readonly events: EventEmitter2,
  ) {
    this.enricher = createEnricher(config.enrichment);
  }

  /**
   * Validates untrusted input (a request body: one alert, or an array of up to MAX_BATCH) and ingests it. A batch is
   * all or nothing: one bad alert refuses the whole body, naming `[index].field`, and nothing is stored.
   */
  async ingestRaw(body: unknown): Promise<Alert[]> {
    const batch = Array.isArray(body);
    const items: unknown[] = (batch ? body : [body]).map(webUiEvent);
    if (batch && (items.length === 0 || items.length > MAX_BATCH)) {
      this.events.emit(ALERT_REJECTED);
      throw new ValidationFailedError('alert', [
        { field: '(body)', message: `an array must hold 1 to ${MAX_BATCH} alerts, got ${items.length}` },
      ]);
    }
    const issues: FieldIssue[] = [];
    const valid = items.flatMap((item, i) => {
      const result = validateFalcoAlert(item, { fieldsAdded: this.enricher.addsFields });
      if (result.ok) return [result.value];
      this.events.emit(ALERT_REJECTED);
      issues.push(
        ...result.issues.map((issue) => ({ ...issue, field: batch ? `[${i}].${issue.field}` : issue.field })),
      );
      return [];
    });
    if (issues.length > 0) throw new ValidationFailedError('alert', issues);
    // Saved in one turn of the event loop, a batch shares one write (the stores' group commit).
    return Promise.all(valid.map((alert) => this.ingest(alert)));
  }

  /**
   * Resolves once the alert and a delivery job for each output that wants it are stored; only then do
   * consumers hear of it.
   */
  async ingest(falcoAlert: FalcoAlert): Promise<Alert> {
    const { time, rule, priority, source, output, output_fields, tags, hostname } = this.enricher.enrich(falcoAlert);
    // Rebuilt key by key: a stored alert holds exactly the Falco fields, in one order, whatever produced it.
    const id = this.ids.next(alertTimeMs(falcoAlert));
    const alert: Alert = { id, time, rule, priority, source, output, output_fields, tags, hostname };
    const deliveries = this.config.outputs.filter((o) => outputAccepts(o.filter, alert)).map((o) => o.name);
    await this.store.save(alert, deliveries);
    this.events.emit(ALERT_INGESTED, new AlertIngested(alert));
    return alert;
  }

  async search(params: QueryParams): Promise<AlertPage> {
    const query = parseAlertQuery(params);
    if (!query.ok) throw new ValidationFailedError('query', query.issues);
    return this.store.query(query.value);
  }

  /**
   * Overview counts for the filtered alerts: from the store's counters in O(buckets) when they can answer the filter
   * (time range and priorities), else counted from the alerts newest first, bounded: past STATS_SCAN_CAP alerts the
   * answer says `truncated`.
   */
  async stats(params: QueryParams): Promise<AlertStats> {
    const { bucket, top, ...filterParams } = params;
    const bucketMs = bucket === undefined ? 60_000 : typeof bucket === 'string' ? parseDuration(bucket) : undefined;
    const topN = top === undefined ? 10 : Number(top);
    const issues: FieldIssue[] = [];
    if (bucketMs === undefined || bucketMs < 1_000)
      issues.push({ field: 'bucket', message: 'must be a duration of 1s or more, e.g. 1m, 5m, 1h' });
    if (!Number.isInteger(topN) || topN < 1 || topN > 100)
      issues.push({ field: 'top', message: 'must be an integer from 1 to 100' });
    const query = parseAlertQuery({ ...filterParams, limit: '1000' });
    if (!query.ok) issues.push(...query.issues);
    if (issues.length > 0 || !query.ok) throw new ValidationFailedError('query', issues);
    const counted = await this.store.stats(query.value.filter, bucketMs!, topN);
    if (counted) return counted;
    const stats = new StatsAccumulator(bucketMs!, topN);
    let scanned = 0;
    let cursor: string | undefined;
    do {
      const page = await this.store.query({ ...query.value, ...(cursor ? { cursor } : {}) });
      for (const alert of page.alerts) stats.add(alert);
      scanned += page.alerts.length;
      cursor = page.nextCursor ?? undefined;
    } while (cursor && scanned < STATS_SCAN_CAP);
    return stats.result(scanned, cursor !== undefined);
  }

  async get(id: string): Promise<Alert> {
    const alert = await this.store.get(id);
    if (!alert) throw new AlertNotFoundError(id);
    return alert;
  }
}

/** What falcosidekick's `webui` output posts, `{"event": alert, "outputs": [...]}`, as the alert; anything else as it is. */
function webUiEvent(item: unknown): unknown {
  if (typeof item !== 'object' || item === null || !('event' in item) || 'rule' in item) return item;
  const { event } = item;
  return typeof event === 'object' && event !== null && !Array.isArray(event) ? event : item;
}
