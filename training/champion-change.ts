/**
 * Changing the champion, by promotion or rollback: the registry first (what running scoring
 * processes poll), then the status of both versions in the model runs.
 */
import { ClvError, ErrorCodes } from '../core/errors.js';
import type { AnalyticsStore } from '../core/ports/analytics-store.js';
import type { ModelRegistry, PromotionReason } from '../core/ports/model-registry.js';
import { previousChampion } from './champion-history.js';
import { recordChampionChange } from './model-run-log.js';

export interface ChampionChangeDeps {
  registry: ModelRegistry;
  analytics: AnalyticsStore | null;
  /** Wall clock, ms: when the status changed. */
  now: () => number;
}

/** Makes `version` the champion; returns the champion it replaced. */
export async function changeChampion(deps: ChampionChangeDeps, version: string, reason: PromotionReason): Promise<{ previous: string | null }> {
  const previous = await deps.registry.championVersion();
  await deps.registry.promote(version, reason);
  if (deps.analytics) await recordChampionChange(deps.analytics, version, previous, deps.now());
  return { previous };
}

/**
 * Rolls back to `version`, or to the champion before the current one.
 * @throws ClvError NO_MODEL when there is nothing to roll back to.
 */
export async function rollbackChampion(deps: ChampionChangeDeps, version?: string): Promise<{ version: string; previous: string | null }> {
  const current = await deps.registry.championVersion();
  const target = version ?? previousChampion(await deps.registry.promotions(), current);
  if (target === null) throw new ClvError(ErrorCodes.NO_MODEL, current === null ? 'no champion to roll back from' : `no champion before ${current} to roll back to`);
  const { previous } = await changeChampion(deps, target, 'rollback');
  return { version: target, previous };
}
