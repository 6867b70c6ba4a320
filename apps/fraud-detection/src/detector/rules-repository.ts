import type { Logger } from '@streamkit/runtime';
import type { Pool } from 'pg';
import { parseRules } from '../domain/rules/parse.ts';
import type { Rule } from '../domain/rules/types.ts';
import type { DetectorMetrics } from './detector-metrics.ts';
import { RepositoryError } from './errors.ts';
import { createHotReloader } from './hot-reloader.ts';

export const RULES_CHANGED_CHANNEL = 'fraud_rules_changed';

export interface RulesRepositorySettings {
  readonly pool: Pool;
  readonly logger: Logger;
  readonly metrics: DetectorMetrics;
  /** Fallback period; NOTIFY fraud_rules_changed normally reloads at once. */
  readonly reloadIntervalMs: number;
}

export interface RulesRepository {
  /** Loads the rules (rejects when Postgres cannot be read), then follows NOTIFY and the timer. */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** The enabled, valid rules by priority: an immutable snapshot, swapped whole on reload. */
  current(): readonly Rule[];
  /** Ids of stored rules skipped as invalid at the last load. */
  rejected(): readonly string[];
  reload(): Promise<void>;
}

interface RuleSet {
  readonly rules: readonly Rule[];
  readonly rejected: readonly string[];
}

const noRules: RuleSet = Object.freeze({ rules: Object.freeze([]), rejected: Object.freeze([]) });

/**
 * The rule set of fraud_rules, hot-reloaded: a change (trigger → NOTIFY fraud_rules_changed) is
 * read at once, a periodic reload covers lost notifications. Invalid stored rules are logged,
 * counted and skipped; they never stop the detector. A failed load keeps the previous set.
 */
export function createRulesRepository(settings: RulesRepositorySettings): RulesRepository {
  const { pool, logger, metrics } = settings;

  async function load(): Promise<RuleSet> {
    let rows: unknown[];
    try {
      ({ rows } = await pool.query(
        `select id, description, condition, score, action, enabled, priority
         from fraud_rules where enabled`,
      ));
    } catch (error) {
      metrics.ruleReloads.inc({ result: 'error' });
      throw new RepositoryError('loading fraud_rules failed', error);
    }
    const parsed = parseRules(rows);
    for (const bad of parsed.rejected)
      logger.error('skipping invalid rule', { rule: bad.id, error: bad.message });
    const set: RuleSet = {
      rules: Object.freeze([...parsed.rules]),
      rejected: parsed.rejected.map((r) => r.id ?? '(no id)'),
    };
    metrics.rulesActive.set(set.rules.length);
    metrics.rulesInvalid.set(set.rejected.length);
    metrics.ruleReloads.inc({ result: 'ok' });
    logger.debug('rules loaded', { rules: set.rules.map((r) => r.id), rejected: set.rejected });
    return set;
  }

  const reloader = createHotReloader({
    pool,
    channel: RULES_CHANGED_CHANNEL,
    pollIntervalMs: settings.reloadIntervalMs,
    load,
    logger,
    what: 'rules',
  });

  return {
    start: () => reloader.start(),
    stop: () => reloader.stop(),
    current: () => (reloader.current() ?? noRules).rules,
    rejected: () => (reloader.current() ?? noRules).rejected,
    reload: () => reloader.reload(),
  };
}
