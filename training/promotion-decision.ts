/**
 * Whether a challenger replaces the champion. Both are scored on the same holdout (the
 * calibration customers, what they bought in the last CLV_TRAINING_HOLDOUT_DAYS), and the
 * metric is the customer-level mean absolute error of holdout value (currency units):
 * it punishes a wrong level and a wrong ranking alike, in the unit the business budgets in,
 * and unlike RMSE it is not decided by a few big spenders. The challenger wins only if its
 * MAE is at least `margin` (relative) below the champion's, so noise between two equally
 * good fits does not churn every customer's score.
 *
 * The champion is judged by a fit that has not seen this holdout where the registry has one
 * (training-run.ts, championAsJudged); otherwise any bias favours keeping the champion.
 */
import type { HoldoutMetrics } from '../evaluation/holdout-evaluation.js';

export const PROMOTION_METRIC = 'holdout value MAE';

export interface PromotionDecision {
  promote: boolean;
  reason: string;
}

/**
 * @param champion null when there is no champion (or it cannot be evaluated here).
 * @param force promote whatever the metrics say (`clv train --force`).
 */
export function decidePromotion(challenger: HoldoutMetrics, champion: HoldoutMetrics | null, margin: number, force = false): PromotionDecision {
  const mine = challenger.value.meanAbsoluteError;
  if (champion === null) return { promote: true, reason: 'no champion to beat' };
  const theirs = champion.value.meanAbsoluteError;
  const figures = `${PROMOTION_METRIC} ${fmt(mine)} vs champion ${fmt(theirs)}`;
  if (force) return { promote: true, reason: `forced (${figures})` };
  if (mine === null || theirs === null) return { promote: false, reason: `${PROMOTION_METRIC} undefined on an empty holdout` };
  const needed = theirs * (1 - margin);
  if (mine <= needed && mine < theirs) return { promote: true, reason: `${figures}: beats it by more than ${(margin * 100).toFixed(1)}%` };
  return { promote: false, reason: `${figures}: needs ${fmt(needed)} or less (CLV_PROMOTION_MARGIN ${margin})` };
}

const fmt = (v: number | null) => (v === null ? 'n/a' : v.toFixed(4));
