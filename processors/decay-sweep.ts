/**
 * The decay sweep: a customer who stops buying produces no event, so nothing would ever
 * re-score them and they would stay high_value forever. Every sweep re-scores, as of now,
 * the customers whose last score is older than the sweep interval; BG/NBD's probability
 * alive (or the rules') falls with the silence, and they move to at_risk, then lost.
 * Only customers whose segment or CLV changed are published (Pipeline.rescore).
 */
import type { Pipeline, RescoreSummary } from './pipeline.js';

export async function sweepDecay(pipeline: Pipeline, nowMs: number, staleAfterMs: number, onProgress?: (p: RescoreSummary) => void): Promise<RescoreSummary> {
  return pipeline.rescore({ asOfMs: nowMs, staleBeforeMs: nowMs - staleAfterMs, onProgress });
}
