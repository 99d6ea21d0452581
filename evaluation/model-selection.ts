/**
 * Which model becomes the champion, from a rolling-origin backtest (backtest-folds.ts): the
 * same rule for `clv evaluate`, `clv train` and the training process.
 *
 * BG/NBD + Gamma-Gamma is the incumbent: the published baseline, with no tuning to any shop.
 * Another model (or the ensemble) replaces it only when, over the backtest folds, it
 * - has a mean |aggregate value error| at least `marginPoints` lower,
 * - is no worse on |value error| in a majority of the folds (one lucky fold cannot decide),
 * - ranks customers as well: mean Spearman at most `spearmanTolerance` lower, and
 * - is as accurate per customer: mean value MAE at most `maeTolerance` (relative) higher.
 * Among those that qualify the lowest mean |value error| wins. A model that failed on any
 * fold is not a candidate (it might fail on the shop again). When BG/NBD itself cannot be
 * fitted, the model with the lowest mean |value error| among those that ran on every fold wins.
 *
 * A fold fits each model on less history than the calibration period has, so a part of a
 * model may be estimated from more data than any fold has — the seasonal model's yearly cycle
 * from two or more seasons where every fold has one at most (model-backtest.ts,
 * seasonalCycleUntested). The folds then test that model without the part, so they can tell whether it does harm but not whether the part helps. Such a model
 * (`untested` says what the folds could not fit) qualifies when no model beat BG/NBD outright
 * and it does no harm on the folds: mean |value error| at most `marginPoints` above BG/NBD's,
 * Spearman and MAE within the tolerances. The part is then judged by its own in-sample guard
 * (for the yearly cycle, the James–Stein shrinkage of the fitted season).
 *
 * The margins are fixed a priori, not fitted to any data set: they encode "do no harm".
 */

export interface FoldScore {
  /** Signed aggregate relative error of predicted vs actual window value. */
  valueError: number;
  spearman: number | null;
  /** Mean absolute error of customer values. */
  mae: number;
}

export interface ModelBacktest {
  model: string;
  /** One entry per fold, in fold order; null where the model could not be fitted. */
  folds: Array<FoldScore | null>;
  /** What of the model the folds could not fit (the history before every origin being too short for it); see the header. */
  untested?: string;
}

export interface SelectionRow {
  model: string;
  folds: number;
  failed_folds: number;
  mean_abs_value_error: number | null;
  mean_spearman: number | null;
  mean_mae_value: number | null;
  folds_better_than_baseline: number | null;
  qualifies: boolean;
  why: string;
}

export interface Selection {
  champion: string;
  reason: string;
  table: SelectionRow[];
}

export interface SelectionRule {
  baseline: string;
  marginPoints: number;
  spearmanTolerance: number;
  maeTolerance: number;
}

export const DEFAULT_SELECTION_RULE: Readonly<SelectionRule> = Object.freeze({ baseline: 'bgnbd', marginPoints: 1, spearmanTolerance: 0.005, maeTolerance: 0.02 });

/** @throws RangeError when no model ran on every fold. */
export function selectChampion(backtests: readonly ModelBacktest[], rule: Readonly<SelectionRule> = DEFAULT_SELECTION_RULE): Selection {
  const summary = backtests.map((b) => summarise(b));
  const untestedFit = new Set<string>();
  const baseline = summary.find((s) => s.model === rule.baseline && s.complete) ?? null;
  const table: SelectionRow[] = summary.map((s) => {
    const row: SelectionRow = {
      model: s.model, folds: s.folds, failed_folds: s.failed, mean_abs_value_error: s.meanAbsError, mean_spearman: s.meanSpearman,
      mean_mae_value: s.meanMae, folds_better_than_baseline: null, qualifies: false, why: '',
    };
    if (!s.complete) return { ...row, why: `could not be fitted on ${s.failed} of ${s.folds} folds` };
    if (s.model === rule.baseline) return { ...row, qualifies: true, why: 'the baseline' };
    if (baseline === null) return { ...row, qualifies: true, why: `the baseline ${rule.baseline} could not be fitted` };
    const better = s.scores.filter((f, k) => Math.abs(f.valueError) < Math.abs(baseline.scores[k].valueError)).length;
    row.folds_better_than_baseline = better;
    const harm = harmDone(s, baseline, rule);
    const problems = [...harm];
    if (!(s.meanAbsError! <= baseline.meanAbsError! - rule.marginPoints / 100)) problems.push(`mean |value error| not ${rule.marginPoints} point(s) below ${rule.baseline}'s`);
    if (!(better * 2 > s.folds)) problems.push(`better than ${rule.baseline} on ${better} of ${s.folds} folds only`);
    if (problems.length === 0) return { ...row, qualifies: true, why: `beats ${rule.baseline} on the backtest` };
    if (s.untested !== undefined && harm.length === 0) {
      untestedFit.add(s.model);
      return { ...row, qualifies: true, why: `the folds could not fit ${s.untested}; does no harm on them` };
    }
    return { ...row, why: problems.join('; ') };
  });
  const eligible = summary.filter((s, i) => table[i].qualifies && s.model !== rule.baseline);
  if (baseline !== null) {
    if (eligible.length === 0) return { champion: rule.baseline, reason: `no model beat ${rule.baseline} on the backtest`, table };
    // A model that beat the baseline outright comes before one whose gain the folds could not see.
    const outright = eligible.filter((s) => !untestedFit.has(s.model));
    const pool = outright.length > 0 ? outright : eligible;
    const best = pool.reduce((a, b) => (b.meanAbsError! < a.meanAbsError! ? b : a));
    if (untestedFit.has(best.model)) {
      return { champion: best.model, reason: `${best.model}: the folds could not fit ${best.untested}; it does no harm on them (mean |value error| ${pct(best.meanAbsError!)} vs ${pct(baseline.meanAbsError!)})`, table };
    }
    return { champion: best.model, reason: `${best.model} beat ${rule.baseline} on the backtest: mean |value error| ${pct(best.meanAbsError!)} vs ${pct(baseline.meanAbsError!)}`, table };
  }
  const complete = summary.filter((s) => s.complete);
  if (complete.length === 0) throw new RangeError('no model could be fitted on every backtest fold');
  const best = complete.reduce((a, b) => (b.meanAbsError! < a.meanAbsError! ? b : a));
  return { champion: best.model, reason: `${rule.baseline} could not be fitted; ${best.model} had the lowest mean |value error| (${pct(best.meanAbsError!)})`, table };
}

/** Where `s` does worse than the baseline by more than the rule allows (empty: no harm). */
function harmDone(s: Summary, baseline: Summary, rule: Readonly<SelectionRule>): string[] {
  const harm: string[] = [];
  if (s.meanAbsError! > baseline.meanAbsError! + rule.marginPoints / 100) harm.push(`mean |value error| more than ${rule.marginPoints} point(s) above ${rule.baseline}'s`);
  if (s.meanSpearman !== null && baseline.meanSpearman !== null && s.meanSpearman < baseline.meanSpearman - rule.spearmanTolerance) harm.push(`ranks customers worse (Spearman ${s.meanSpearman.toFixed(3)} vs ${baseline.meanSpearman.toFixed(3)})`);
  if (s.meanMae! > baseline.meanMae! * (1 + rule.maeTolerance)) harm.push(`larger customer-level error (MAE ${s.meanMae!.toFixed(2)} vs ${baseline.meanMae!.toFixed(2)})`);
  return harm;
}

type Summary = ReturnType<typeof summarise>;

function summarise(b: ModelBacktest) {
  const scores = b.folds.filter((f): f is FoldScore => f !== null);
  const complete = scores.length === b.folds.length && scores.length > 0;
  const mean = (v: number[]) => (v.length === 0 ? null : v.reduce((s, x) => s + x, 0) / v.length);
  const spearmans = scores.map((f) => f.spearman).filter((v): v is number => v !== null);
  return {
    model: b.model, untested: b.untested, folds: b.folds.length, failed: b.folds.length - scores.length, complete, scores: b.folds as FoldScore[],
    meanAbsError: mean(scores.map((f) => Math.abs(f.valueError))), meanSpearman: mean(spearmans), meanMae: mean(scores.map((f) => f.mae)),
  };
}

const pct = (v: number) => `${(100 * v).toFixed(1)}%`;
