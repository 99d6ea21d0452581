/**
 * The decay sweep: a customer who stops buying produces no event, so nothing would ever
 * re-score them and they would stay high_value forever. A sweep re-scores, as of a time, every
 * customer whose last score is older than that; BG/NBD's probability alive (or the rules')
 * falls with the silence, and they move to at_risk, then lost. Only customers whose segment
 * or CLV changed are published (Pipeline.rescore).
 *
 * "Now" is data time, never the wall clock: a replay of 1997 decays as of 1997, and the same
 * events give the same scores whatever the replay speed, the batch sizes or when sweeps ran.
 * That holds because a customer's score is as of their own latest event or the latest sweep,
 * whichever is later, and sweeps are as of whole sweep intervals of data time: sweeps within
 * one interval agree, and the last one after a replay is as of the same instant at any speed.
 */
import type { Pipeline, RescoreSummary } from './pipeline.js';

export interface SweepSummary extends RescoreSummary {
  /** The as-of of the sweep; null: no customer scored yet, nothing to sweep. */
  asOfMs: number | null;
}

/** Re-scores, as of `asOfMs`, everyone last scored before it; no one is moved back in time. */
export async function sweepDecay(pipeline: Pipeline, asOfMs: number, onProgress?: (p: RescoreSummary) => void): Promise<SweepSummary> {
  return { asOfMs, ...(await pipeline.rescore({ asOfMs, staleBeforeMs: asOfMs, onProgress })) };
}

/** The as-of of a sweep at data time `dataTimeMs`: the start of its sweep interval. */
export function sweepAsOf(dataTimeMs: number, intervalMs: number): number {
  return Math.floor(dataTimeMs / intervalMs) * intervalMs;
}

/** The scheduled sweep: as of the start of the sweep interval holding the latest data time. */
export async function sweepAtDataTime(pipeline: Pipeline, intervalMs: number, onProgress?: (p: RescoreSummary) => void): Promise<SweepSummary> {
  const dataTimeMs = await pipeline.dataTimeMs();
  if (dataTimeMs === null) return { asOfMs: null, scanned: 0, rescored: 0, published: 0, segmentChanges: 0 };
  return sweepDecay(pipeline, sweepAsOf(dataTimeMs, intervalMs), onProgress);
}
