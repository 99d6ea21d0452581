/**
 * `clv models list | promote | rollback`: the registry's versions and their status, and
 * changing the champion by hand. A change is written to the registry (the running scoring
 * processes poll it), recorded in the model runs, and followed by a re-score of every
 * customer with the new champion, publishing the scores it changes (every one, as the model version changes) — as `clv train`
 * does after a promotion.
 */
import type { Config } from '../config/config.js';
import type { ModelRegistry } from '../core/ports/model-registry.js';
import type { changeChampion } from '../training/champion-change.js';
import { createLogger } from './logger.js';
import { productionPipeline } from './production.js';
import { deployAndRescore, openModelRuns } from './training-lifecycle.js';

/** The registry as text: one line per version, or JSON lines. */
export async function listModels(registry: ModelRegistry, json: boolean): Promise<string> {
  const [infos, champion, promotions] = await Promise.all([registry.list(), registry.championVersion(), registry.promotions()]);
  const everChampion = new Set(promotions.map((p) => p.version));
  const rows = infos.map((info) => {
    const d = info.details as { decision?: string; holdout?: { challenger?: { mae_value?: number | null } }; window?: { as_of?: string } };
    return {
      version: info.version,
      kind: info.kind,
      status: info.version === champion ? 'champion' : everChampion.has(info.version) ? 'retired' : 'challenger',
      registered_at: info.registeredAt,
      as_of: d.window?.as_of ?? null,
      holdout_mae_value: d.holdout?.challenger?.mae_value ?? null,
      decision: d.decision ?? null,
    };
  });
  if (json) return rows.map((r) => JSON.stringify(r) + '\n').join('');
  if (rows.length === 0) return 'no model versions registered yet\n';
  return rows
    .map((r) => [r.version.padEnd(20), r.status.padEnd(10), r.kind.padEnd(18), r.registered_at.padEnd(24), `as of ${r.as_of ?? '-'}`, `MAE ${r.holdout_mae_value?.toFixed(2) ?? '-'}`, r.decision ?? ''].join('  ').trimEnd() + '\n')
    .join('');
}

/**
 * Changes the champion (`apply` writes it to the registry and the model runs) and re-scores
 * every customer with it, as of `asOfMs` or each customer's own last as-of.
 */
export async function changeChampionAndRescore(config: Readonly<Config>, asOfMs: number | undefined, apply: (deps: Parameters<typeof changeChampion>[0]) => Promise<string>): Promise<void> {
  const logger = createLogger(config.logLevel);
  const production = await productionPipeline(config, logger);
  try {
    const analytics = await openModelRuns(config);
    try {
      const previous = await production.registry.championVersion();
      const version = await apply({ registry: production.registry, analytics, now: Date.now });
      const r = await deployAndRescore(production.registry, production.pipeline, version, asOfMs);
      process.stdout.write(`champion: ${version} (was ${previous ?? 'none'}); re-scored ${r.rescored} customers, ${r.published} scores and ${r.segmentChanges} segment changes published\n`);
    } finally {
      await analytics.close();
    }
  } finally {
    await production.close();
  }
}
