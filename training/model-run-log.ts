/**
 * Model runs in the analytics store (ClickHouse `model_runs` in production, in-memory tables
 * embedded): every training run, promoted or not, with its data window, parameters and
 * holdout metrics, and a new row each time its status changes (the latest per version wins).
 */
import type { AnalyticsStore, ModelRunRow, ModelRunStatus } from '../core/ports/analytics-store.js';

/** Writes `champion` for the new champion and `retired` for the one it replaced. */
export async function recordChampionChange(analytics: AnalyticsStore, champion: string, previous: string | null, nowMs: number): Promise<void> {
  const runs = new Map((await analytics.modelRuns()).map((r) => [r.version, r]));
  const rows: ModelRunRow[] = [];
  const restate = (version: string, status: ModelRunStatus) => {
    const run = runs.get(version);
    // A version registered before runs were recorded has no row to restate.
    if (run && run.status !== status) rows.push({ ...run, status, updated_at: Math.max(nowMs, run.updated_at) });
  };
  restate(champion, 'champion');
  if (previous !== null && previous !== champion) restate(previous, 'retired');
  if (rows.length > 0) await analytics.insert('model_runs', rows);
}
