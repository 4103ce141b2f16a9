/**
 * The sensor's rules in force: loaded at start, again on SIGHUP and when a rules file changes on disk. A load that
 * fails prints its errors and keeps the previous rules.
 */
import { formatDiagnostic, loadRules, RuleSet, watchRulesFiles, type RuleSetOptions } from '@harrier/engine';
import type { CliIo } from './main.js';

export class LiveRules {
  /** Reloads run one after another, so an older one never replaces a newer one's rules. */
  private reloading = Promise.resolve();

  private constructor(
    private readonly files: readonly string[],
    private readonly options: RuleSetOptions,
    private readonly say: (text: string) => void,
    private ruleSet: RuleSet,
    private ruleCount: number,
  ) {}

  /** The rules, or undefined (the errors printed) when they do not load. */
  static async load(
    files: readonly string[],
    options: RuleSetOptions,
    say: (text: string) => void,
  ): Promise<LiveRules | undefined> {
    const loaded = await LiveRules.read(files, say);
    if (loaded === undefined) return undefined;
    return new LiveRules(files, options, say, new RuleSet(loaded, options), loaded.length);
  }

  private static async read(files: readonly string[], say: (text: string) => void) {
    const loaded = await loadRules([...files]);
    for (const warning of loaded.warnings) say(formatDiagnostic(warning, 'warning'));
    for (const error of loaded.errors) say(formatDiagnostic(error, 'error'));
    return loaded.errors.length === 0 ? loaded.rules : undefined;
  }

  get current(): RuleSet {
    return this.ruleSet;
  }

  /** How many rules are in force. */
  get count(): number {
    return this.ruleCount;
  }

  reload(reason: string): Promise<void> {
    this.reloading = this.reloading.then(async () => {
      const rules = await LiveRules.read(this.files, this.say);
      if (rules === undefined) {
        this.say(`rules reload (${reason}) failed; the previous ${this.count} rules stay in force`);
        return;
      }
      this.ruleSet = new RuleSet(rules, this.options);
      this.ruleCount = rules.length;
      this.say(`rules reloaded (${reason}): ${rules.length} rules`);
    });
    return this.reloading;
  }

  /** Reloads on SIGHUP and file changes until the returned function is called. */
  follow(io: CliIo): () => void {
    const watch = watchRulesFiles(this.files, () => void this.reload('a rules file changed'), {
      onError: (directory, error) => this.say(`not watching ${directory} for rules changes: ${error.message}`),
    });
    const stopHangups = io.onHangup?.(() => void this.reload('SIGHUP'));
    return () => {
      watch.close();
      stopHangups?.();
    };
  }
}
