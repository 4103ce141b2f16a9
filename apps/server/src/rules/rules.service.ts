/**
 * The engine inside the hub: loads the configured rules files at start (a file that does not load stops the start,
 * naming file, line and problem), again on SIGHUP, `POST /api/v1/rules/reload` or a change to a file on disk (a
 * reload that fails keeps the rules in force and is reported), and runs Kubernetes audit events through them. The
 * alerts go through the same ingest as Falco's: stored, streamed, delivered.
 */
import type { Alert } from '@harrier/alert';
import type { RuleDiagnostic, RulesStatus } from '@harrier/alert';
import {
  describeNoAuditEvents,
  formatDiagnostic,
  loadRules,
  parseAuditInput,
  RuleSet,
  type AuditInputProblem,
  type EngineEvent,
  type LoadDiagnostic,
  type RulesWatch,
  watchRulesFiles,
} from '@harrier/engine';
import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
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
    super(describeNoAuditEvents(problems));
  }
}

/** The rules as `/healthz` shows them: a failed reload leaves the hub working, on the previous rules. */
export interface RulesHealth {
  ok: boolean;
  /** The failed reload's errors, without the files' excerpts. */
  errors: Array<Pick<RuleDiagnostic, 'file' | 'line' | 'column' | 'code' | 'message'>>;
}

@Injectable()
export class RulesService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('Rules');
  private ruleSet: RuleSet | undefined;
  private loaded: Omit<RulesStatus, 'files' | 'failedReload'> | undefined;
  private failedReload: RulesStatus['failedReload'];
  private watch: RulesWatch | undefined;
  /** Reloads run one after another, so a slow one never overwrites a newer one's result. */
  private reloading: Promise<boolean> = Promise.resolve(true);
  private readonly onHangup = () => void this.reload('SIGHUP');

  constructor(
    @Inject(CONFIG) private readonly config: HarrierConfig,
    @Inject(AlertsService) private readonly alerts: AlertsService,
  ) {}

  async onModuleInit(): Promise<void> {
    const errors = await this.load();
    if (errors.length > 0) {
      throw new RulesLoadError(`Rules did not load:\n${errors.map((e) => formatDiagnostic(e, 'error')).join('\n')}`);
    }
    process.on('SIGHUP', this.onHangup);
    this.watch = watchRulesFiles(this.config.rules.files, () => void this.reload('a rules file changed'), {
      onError: (directory, error) => this.logger.warn(`Not watching ${directory} for rules changes: ${error.message}`),
    });
  }

  onModuleDestroy(): void {
    process.off('SIGHUP', this.onHangup);
    this.watch?.close();
  }

  /** Loads the rules files again; on errors the rules in force stay and the errors are reported. */
  reload(reason = 'requested'): Promise<boolean> {
    this.reloading = this.reloading.then(async () => {
      this.logger.log(`Reloading rules (${reason})`);
      const errors = await this.load();
      if (errors.length === 0) return true;
      this.failedReload = { at: new Date().toISOString(), errors };
      this.logger.error(
        `Rules reload failed, the previous rules stay in force:\n${errors.map((e) => formatDiagnostic(e, 'error')).join('\n')}`,
      );
      return false;
    });
    return this.reloading;
  }

  health(): RulesHealth {
    const errors = this.failedReload?.errors ?? [];
    return {
      ok: errors.length === 0,
      errors: errors.map(({ file, line, column, code, message }) => ({ file, line, column, code, message })),
    };
  }

  status(): RulesStatus {
    return {
      files: this.config.rules.files,
      ...this.loaded!,
      ...(this.failedReload ? { failedReload: this.failedReload } : {}),
    };
  }

  /** The rules in force (the rule tester runs events through them without ingesting). */
  ruleSetInForce(): RuleSet {
    return this.ruleSet!;
  }

  /** Returns the load errors; with none, the new rules are in force. */
  private async load(): Promise<LoadDiagnostic[]> {
    const { files, ruleMatching, minPriority } = this.config.rules;
    const result = await loadRules(files);
    if (result.errors.length > 0) return result.errors;
    for (const warning of result.warnings) this.logger.warn(formatDiagnostic(warning, 'warning'));
    this.ruleSet = new RuleSet(result.rules, { ruleMatching, minPriority });
    this.loaded = {
      loadedAt: new Date().toISOString(),
      rules: result.rules.map((r) => ({
        name: r.name,
        source: r.source,
        priority: r.priority,
        tags: r.tags,
        description: r.desc,
        enabled: r.enabled,
        evaluable: r.evaluable,
        file: r.position.file,
        line: r.position.line,
      })),
      warnings: result.warnings,
    };
    this.failedReload = undefined;
    this.logger.log(`Loaded ${result.rules.length} rules from ${files.join(', ')} (rule matching: ${ruleMatching})`);
    return [];
  }

  async ingestAudit(body: string): Promise<AuditResult> {
    const { events, problems } = parseAuditInput(body);
    if (events.length === 0) throw new NoAuditEventsError(problems);
    if (problems.length > 0) this.logger.warn(`Skipped ${problems.length} audit values: ${problems[0]!.message}`);
    const stored = await this.ingestEvents('k8s_audit', events);
    return { events: events.length, alerts: stored.length, skipped: problems };
  }

  /** Runs events of one source through the rules; each resulting alert goes through ingest (stored, then streamed). */
  async ingestEvents(source: string, events: readonly EngineEvent[]): Promise<Alert[]> {
    const raised = events.flatMap((event) => this.ruleSet!.evaluate(event, source));
    return Promise.all(raised.map((alert) => this.alerts.ingest(alert)));
  }
}
