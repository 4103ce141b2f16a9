/**
 * The engine inside the hub: loads the configured rules files once at start (a file that does not load stops the
 * start, naming file, line and problem) and runs Kubernetes audit events through them. The alerts go through the
 * same ingest as Falco's: stored, streamed, delivered.
 */
import type { Alert } from '@harrier/alert';
import { formatDiagnostic, loadRules, parseAuditInput, RuleSet, type AuditInputProblem } from '@harrier/engine';
import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { AlertsService } from '../alerts/alerts.service.js';
import { CONFIG } from '../config/config.module.js';
import type { HarrierConfig } from '../config/config.schema.js';

export interface AuditResult {
  /** Audit events read from the body. */
  events: number;
  /** Alerts the rules raised, each stored (and queued for delivery) before this answer. */
  alerts: number;
  /** Lines or values skipped, with the reason (not audit events, no stageTimestamp, too large, bad JSON). */
  skipped: AuditInputProblem[];
}

export class RulesLoadError extends Error {
  override readonly name = 'RulesLoadError';
}

/** A body with nothing in it that is an audit event: 400 with the reasons. */
export class NoAuditEventsError extends Error {
  override readonly name = 'NoAuditEventsError';
  constructor(readonly problems: AuditInputProblem[]) {
    super(
      problems.length === 0
        ? 'The body holds no Kubernetes audit event (expected an audit.k8s.io/v1 EventList, an Event, an array or JSON lines)'
        : `The body holds no usable Kubernetes audit event: ${problems
            .slice(0, 5)
            .map((p) => (p.line === undefined ? p.message : `line ${p.line}: ${p.message}`))
            .join('; ')}`,
    );
  }
}

@Injectable()
export class RulesService implements OnModuleInit {
  private readonly logger = new Logger('Rules');
  private ruleSet: RuleSet | undefined;

  constructor(
    @Inject(CONFIG) private readonly config: HarrierConfig,
    @Inject(AlertsService) private readonly alerts: AlertsService,
  ) {}

  async onModuleInit(): Promise<void> {
    const { files, ruleMatching, minPriority } = this.config.rules;
    const loaded = await loadRules(files);
    for (const warning of loaded.warnings) this.logger.warn(formatDiagnostic(warning, 'warning'));
    if (loaded.errors.length > 0) {
      throw new RulesLoadError(
        `Rules did not load:\n${loaded.errors.map((e) => formatDiagnostic(e, 'error')).join('\n')}`,
      );
    }
    this.ruleSet = new RuleSet(loaded.rules, { ruleMatching, minPriority });
    this.logger.log(`Loaded ${loaded.rules.length} rules from ${files.join(', ')} (rule matching: ${ruleMatching})`);
  }

  async ingestAudit(body: string): Promise<AuditResult> {
    const { events, problems } = parseAuditInput(body);
    if (events.length === 0) throw new NoAuditEventsError(problems);
    if (problems.length > 0) this.logger.warn(`Skipped ${problems.length} audit values: ${problems[0]!.message}`);
    const raised = events.flatMap((event) => this.ruleSet!.evaluate(event, 'k8s_audit'));
    const stored: Alert[] = await Promise.all(raised.map((alert) => this.alerts.ingest(alert)));
    return { events: events.length, alerts: stored.length, skipped: problems };
  }
}
