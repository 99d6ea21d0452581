/**
 * One training run, start to end:
 * 1. read the feature store's histories split in time (training-data.ts) and refuse when
 *    they are too thin (training-readiness.ts);
 * 2. choose the kind of model by the rolling-origin backtest of evaluation/model-backtest.ts
 *    (BG/NBD + Gamma-Gamma unless its seasonal form or their ensemble beats it:
 *    evaluation/model-selection.ts, the rule `clv evaluate` uses) and fit a challenger of
 *    that kind on the calibration part (everything before the last H days);
 * 3. score the challenger AND the current champion on the same holdout — what the calibration
 *    customers bought in those H days — and decide (promotion-decision.ts);
 * 4. refit the deployed model on everything up to as-of: the holdout served to choose a
 *    model, but its months are the freshest evidence of how customers behave now, and every
 *    customer's T must reach the as-of for segments thresholds to match what scoring sees;
 * 5. when asked, fit the LSTM on the same calibration part and judge it on the same holdout
 *    (training-lstm.ts), and register that network as a deployable `lstm` version beside
 *    this one, its companion and thresholds as of the as-of (training-lstm-kind.ts),
 *    promoted only by hand;
 * 6. register the version whatever the decision (auditable, and promotable by hand later),
 *    record it in the model runs, and promote it when it won.
 * Re-scoring is the caller's (it owns the pipeline).
 */
import type { DayIndexer } from '../core/calendar.js';
import { ClvError, ErrorCodes } from '../core/errors.js';
import type { AnalyticsStore, ModelRunRow } from '../core/ports/analytics-store.js';
import type { ModelRegistry } from '../core/ports/model-registry.js';
import type { StateStore } from '../core/ports/state-store.js';
import { categoryStatisticsAsOf } from '../processors/features/category-statistics-as-of.js';
import { oneTimeBuyerLapseOf } from '../processors/features/one-time-buyer-lapse-as-of.js';
import type { CustomerPurchaseHistory } from '../processors/features/customer-purchase-history.js';
import type { HolidayCalendar } from '../core/holidays/holiday-calendar.js';
import { runBacktest } from '../evaluation/model-backtest.js';
import type { Selection } from '../evaluation/model-selection.js';
import { loadRegisteredModel, modelFromArtifact } from '../models/kinds/model-kinds.js';
import { EnsembleModel } from '../models/kinds/ensemble-model.js';
import { SeasonalBgNbdGammaGammaModel } from '../models/kinds/seasonal-bgnbd-gamma-gamma-model.js';
import type { CategoryStatistics } from '../core/recommendations/category-statistics.js';
import type { OneTimeBuyerLapse } from '../core/one-time-buyer-lapse.js';
import { dailyRepeatPurchases } from '../models/kinds/train-seasonal-model.js';
import { trainScoringModel, type ScoringChoice, type ScoringModel } from '../models/kinds/train-scoring-model.js';
import { changeChampion } from './champion-change.js';
import { evaluateHoldout, type HoldoutMetrics } from '../evaluation/holdout-evaluation.js';
import { decidePromotion, PROMOTION_METRIC } from './promotion-decision.js';
import type { TrainingSettings } from '../models/kinds/train-customer-value-model.js';
import { inputsAsOf, readTrainingData, trainingDataFigures, type TrainingData, type TrainingDataFigures } from './training-data.js';
import { registerTrainingLstmKind, type RegisteredLstmKind } from './training-lstm-kind.js';
import { BgNbdGammaGammaModel } from '../models/kinds/bgnbd-gamma-gamma-model.js';
import { LSTM_ATTACHMENT, trainingLstmRun, type TrainingLstmRecord, type TrainingLstmSettings } from './training-lstm.js';
import { assertTrainingReady, type ReadinessThresholds } from './training-readiness.js';

export interface TrainingRunSettings {
  asOfMs: number;
  /** Model settings and the version name. */
  model: TrainingSettings;
  holdoutDays: number;
  promotionMargin: number;
  readiness: ReadinessThresholds;
  /** false: register only (`--no-promote`). */
  promote: boolean;
  /** Promote without beating the champion (`--force`). */
  force: boolean;
  /** The LSTM trained alongside (CLV_TRAIN_LSTM); absent or null: none. */
  lstm?: TrainingLstmSettings | null;
  /** The seasonal kind's holidays (CLV_HOLIDAYS). */
  holidays: HolidayCalendar;
  /** false: always BG/NBD + Gamma-Gamma, no backtest (tests of the lifecycle itself). */
  selectKind?: boolean;
}

export interface TrainingRunDeps {
  histories: StateStore<CustomerPurchaseHistory>;
  registry: ModelRegistry;
  /** Where model runs are recorded; null where there is none. */
  analytics: AnalyticsStore | null;
  dayOf: DayIndexer;
  /** Wall clock, ms: when the run happened (not the data's as-of). */
  now: () => number;
}

export interface TrainingRunResult {
  version: string;
  promoted: boolean;
  /** Why (not) promoted, with the figures compared. */
  reason: string;
  /** The model refit on all data up to as-of: the one registered (and deployed when promoted). */
  model: ScoringModel;
  /** How its kind was chosen: the backtest's selection, or why there was none. */
  selection: { kind: ScoringChoice; reason: string; table: Selection['table'] | null; folds: number };
  /** The champion before this run (still the champion when not promoted). */
  previousChampion: string | null;
  figures: TrainingDataFigures;
  challenger: HoldoutMetrics;
  /** Null when there was no champion, or none this build can evaluate. */
  champion: HoldoutMetrics | null;
  trainingMs: number;
  /** The LSTM's record, kept with the version; its error when it failed; null when none was asked for. */
  lstm: { record: TrainingLstmRecord } | { error: string } | null;
  /** The deployable `lstm` version registered beside this one (training-lstm-kind.ts), or why not; null when none was asked for. */
  lstmKind: RegisteredLstmKind | { error: string } | null;
}

/** @throws ClvError INSUFFICIENT_DATA (readiness), NO_MODEL, DEPENDENCY_FAILED from the stores. */
export async function runTraining(deps: TrainingRunDeps, s: TrainingRunSettings): Promise<TrainingRunResult> {
  const started = performance.now();
  const { model: settings } = s;
  const data = await readTrainingData(deps.histories, s.asOfMs, s.holdoutDays, deps.dayOf);
  const figures = trainingDataFigures(data);
  assertTrainingReady(figures, s.readiness);

  const calibrationInputs = inputsAsOf(data.calibration.summaries, data.calibrationEndDay, settings.periodDays, settings.minorPerUnit);
  const selection = await chooseKind(data, s);
  const calibrationData = { inputs: calibrationInputs, repeats: dailyRepeatPurchases(data.purchaseDays.values(), data.calibrationEndDay) };
  const challenger = await trainScoringModel(selection.kind, calibrationData, { ...settings, version: `${settings.version}-calibration` }, s.holidays);
  const challengerMetrics = holdoutMetricsOf(challenger, data, settings.minorPerUnit);

  const previousChampion = await deps.registry.championVersion();
  const judged = previousChampion === null ? null : await championAsJudged(deps.registry, previousChampion, data.calibrationEndMs);
  const championMetrics = judged === null || judged.model === null ? null : holdoutMetricsOf(judged.model, data, settings.minorPerUnit);
  // A champion this trainer cannot evaluate (another kind) is not "no champion": replacing it
  // blind takes --force.
  const decision = judged !== null && judged.model === null
    ? { promote: s.force, reason: `champion ${previousChampion} cannot be evaluated here (${judged.why})${s.force ? '; forced' : '; use --force to replace it'}` }
    : decidePromotion(challengerMetrics, championMetrics, s.promotionMargin, s.force);
  const promoted = decision.promote && s.promote;
  const reason = decision.promote && !s.promote ? `${decision.reason}; not promoted (--no-promote)` : decision.reason;

  // Shop-wide category statistics for cross-sell and upsell (a second scan of the store: they
  // need every order's lines, the summaries keep none), and the silence after which a one-time
  // buyer lapses, travel with the deployed model.
  const lapse = oneTimeBuyerLapseOf(data.returnGaps, data.asOfDay, settings);
  const fullData = { inputs: inputsAsOf(data.full.summaries, data.asOfDay, settings.periodDays, settings.minorPerUnit), repeats: dailyRepeatPurchases(data.purchaseDays.values(), data.asOfDay) };
  const fitted: ScoringModel = await trainScoringModel(selection.kind, fullData, settings, s.holidays);
  const model = withTrainingStatistics(fitted, await categoryStatisticsAsOf(deps.histories, data.asOfMs), lapse);
  const trainingMs = performance.now() - started;
  // Here rather than after the run (as the forecast is): the LSTM's figures then land in the
  // version's details and its model-run row, with the BG/NBD's. It reports a failure instead
  // of throwing, so the BG/NBD model is registered whatever happens to it.
  let lstm = s.lstm ? await trainingLstmRun(deps.histories, data, challenger, s.lstm) : null;
  const nowMs = deps.now();
  const window = {
    first_purchase: new Date(data.firstPurchaseMs!).toISOString(),
    calibration_end: new Date(data.calibrationEndMs).toISOString(),
    as_of: new Date(data.asOfMs).toISOString(),
    holdout_days: s.holdoutDays,
  };
  const metrics = { promotion_metric: PROMOTION_METRIC, challenger: metricsSummary(challengerMetrics), champion: championMetrics && metricsSummary(championMetrics) };
  await deps.registry.register(
    {
      version: settings.version,
      kind: model.kind,
      registeredAt: new Date(nowMs).toISOString(),
      details: {
        status: promoted ? 'champion' : 'challenger',
        decision: reason,
        compared_with: previousChampion && { version: previousChampion, fit: judged?.fit },
        window,
        data: figures,
        customers: data.full.summaries.length,
        holdout: metrics,
        selection: { kind: selection.kind, reason: selection.reason, folds: selection.folds, table: selection.table },
        calibration_fit: challenger.metricsJson(),
        // Kept loadable: a later run judges this version by it once this version's own
        // deployed fit has seen that run's holdout (see championAsJudged).
        calibration_model: challenger.toJSON(),
        trainingMs,
        one_time_buyer_lapse: { at_risk_days: lapse.atRiskDays, lost_days: lapse.lostDays, source: lapse.source, return_gaps: lapse.returnGaps },
        ...(lstm && { lstm: lstmJson(lstm) }),
        ...model.metricsJson(),
      },
    },
    model.toJSON(),
  );
  if (lstm && 'artifact' in lstm) {
    try {
      await deps.registry.attach(settings.version, LSTM_ATTACHMENT, lstm.artifact);
    } catch (error) {
      lstm = { error: `LSTM not kept: ${(error as Error).message}` };
    }
  }
  // The deployable LSTM, refitted on everything, as a version of its own (never promoted here).
  const lstmKind = s.lstm
    ? await registerTrainingLstmKind(deps.registry, {
      data, settings, lstm: s.lstm, network: lstm && 'artifact' in lstm ? lstm.artifact : null, base: fitted instanceof BgNbdGammaGammaModel ? fitted : null,
      statistics: model.categoryStatistics ?? null, lapse, registeredAt: new Date(nowMs).toISOString(),
      details: { window, data: figures, run: settings.version, lstm: lstm && lstmJson(lstm) },
    })
    : null;
  if (deps.analytics) {
    const row: ModelRunRow = {
      version: settings.version,
      kind: model.kind,
      trained_at: nowMs,
      calibration_start: data.firstPurchaseMs!,
      calibration_end: data.calibrationEndMs,
      holdout_end: data.asOfMs,
      params_json: JSON.stringify({ deployed: model.metricsJson(), calibration: challenger.metricsJson(), thresholds: model.thresholds, selection: { kind: selection.kind, reason: selection.reason } }),
      metrics_json: JSON.stringify({ ...metrics, ...(lstm && { lstm: lstmJson(lstm) }), decision: reason, compared_with: previousChampion, champion_fit: judged?.fit ?? null, data: figures }),
      status: 'challenger',
      updated_at: nowMs,
    };
    // The deployable LSTM gets a row of its own, so promoting it by hand (or rolling back from
    // it) restates a run like any other; its holdout figures are its calibration fit's.
    const lstmRow: ModelRunRow | null = lstmKind && 'version' in lstmKind
      ? {
        ...row,
        version: lstmKind.version,
        kind: 'lstm',
        params_json: JSON.stringify({ deployed: lstmKind.params, thresholds: lstmKind.thresholds, trained_with: settings.version }),
        metrics_json: JSON.stringify({ lstm: lstm && lstmJson(lstm), decision: 'not a candidate of the backtest that chooses the kind: promoted only by hand', data: figures }),
      }
      : null;
    await deps.analytics.insert('model_runs', lstmRow ? [row, lstmRow] : [row]);
  }
  if (promoted) await changeChampion(deps, settings.version, 'training');
  return { version: settings.version, promoted, reason, model, selection, previousChampion, figures, challenger: challengerMetrics, champion: championMetrics, trainingMs,
    lstm: lstm && ('record' in lstm ? { record: lstm.record } : { error: lstm.error }), lstmKind };
}

function lstmJson(lstm: { record: TrainingLstmRecord } | { error: string }): TrainingLstmRecord | { error: string } {
  return 'record' in lstm ? lstm.record : { error: lstm.error };
}

/**
 * The champion as it is judged on this run's holdout. Its deployed fit saw data up to its own
 * as-of; when that falls inside this holdout (retraining more often than the holdout is long,
 * the usual case) it has seen part of what it is judged on and would beat any honest
 * challenger. It is then judged by its calibration fit: the same procedure on the data it
 * had, its calibration ending H days before its as-of, so at or before this run's calibration
 * end — it has seen none of this holdout. A version registered without a calibration fit is
 * judged as deployed (the bias then favours keeping it).
 */
async function championAsJudged(
  registry: ModelRegistry,
  version: string,
  calibrationEndMs: number,
): Promise<{ model: ScoringModel; fit: 'deployed' | 'calibration' } | { model: null; fit: null; why: string }> {
  const { info } = await registry.load(version);
  const details = info.details as { window?: { as_of?: string }; calibration_model?: unknown };
  const championAsOfMs = Date.parse(details.window?.as_of ?? '');
  if (championAsOfMs > calibrationEndMs && details.calibration_model !== undefined) {
    try {
      const calibration = details.calibration_model as { kind?: string };
      const model = modelFromArtifact(`${version} (calibration fit)`, calibration.kind ?? '', calibration);
      if (isScoringModel(model)) return { model, fit: 'calibration' };
    } catch {
      // An unreadable calibration fit: judged as deployed below.
    }
  }
  try {
    const model = await loadRegisteredModel(registry, version);
    if (isScoringModel(model)) return { model, fit: 'deployed' };
    return { model: null, fit: null, why: `champion ${version} is a ${model.kind} model, which this holdout cannot judge` };
  } catch (error) {
    if (error instanceof ClvError && error.code === ErrorCodes.NO_MODEL) return { model: null, fit: null, why: error.message };
    throw error;
  }
}

/** Predicted vs actual holdout value of the calibration customers, in the model's own period. */
function holdoutMetricsOf(model: ScoringModel, data: TrainingData, minorPerUnit: number): HoldoutMetrics {
  const p = model.periodDays;
  const inputs = inputsAsOf(data.calibration.summaries, data.calibrationEndDay, p, minorPerUnit);
  const rows = inputs.map((input, i) => ({ input, actual: data.calibration.holdout[i] }));
  return evaluateHoldout(model, rows, (data.asOfDay - data.calibrationEndDay) / p, minorPerUnit).metrics;
}

/** The figures worth keeping per run (the full set has every metric of purchases too). */
function metricsSummary(m: HoldoutMetrics) {
  return {
    customers: m.customers,
    periods: m.periods,
    mae_value: m.value.meanAbsoluteError,
    rmse_value: m.value.rootMeanSquaredError,
    value_error: m.value.aggregateRelativeError,
    spearman_value: m.value.spearman,
    gini_value: m.value.normalizedGini,
    top_decile_capture: m.value.topDecileCapture,
    decile_mape: m.value.decileMape,
    purchases_error: m.purchases.aggregateRelativeError,
    predicted_value_total: m.predictedValueTotal,
    actual_value_total: m.actualValueTotal,
  };
}

/** A model training can judge on a holdout (it predicts a window): every kind it deploys. */
function isScoringModel(model: unknown): model is ScoringModel {
  return typeof (model as ScoringModel).expectedOver === 'function' && typeof (model as ScoringModel).toJSON === 'function';
}

/** The shop-wide statistics of a training run carried by the deployed model, whatever its kind. */
function withTrainingStatistics(model: ScoringModel, statistics: CategoryStatistics | null, lapse: Pick<OneTimeBuyerLapse, 'atRiskDays' | 'lostDays'>): ScoringModel {
  if (model instanceof EnsembleModel) return model.withCategoryStatistics(statistics).withOneTimeBuyerLapse(lapse);
  if (model instanceof SeasonalBgNbdGammaGammaModel) return model.withCategoryStatistics(statistics).withOneTimeBuyerLapse(lapse);
  return model.withCategoryStatistics(statistics).withOneTimeBuyerLapse(lapse);
}

/**
 * The kind to train, by the backtest of evaluation/model-backtest.ts. BG/NBD + Gamma-Gamma
 * when the history is too short for a backtest fold, or when selection is off.
 */
async function chooseKind(data: TrainingData, s: TrainingRunSettings): Promise<TrainingRunResult['selection']> {
  const bgnbd: ScoringChoice = { model: 'bgnbd' };
  if (s.selectKind === false) return { kind: bgnbd, reason: 'model selection off', table: null, folds: 0 };
  let firstDay = Infinity;
  for (const days of data.purchaseDays.values()) for (const d of days.keys()) if (d < firstDay) firstDay = d;
  try {
    // Over the whole history up to the as-of, as `clv evaluate` selects up to its calibration
    // end: the same data gives the same choice. The promotion holdout then judges a challenger
    // of that kind fitted without its days.
    const backtest = await runBacktest(data.purchaseDays, firstDay, data.asOfDay, {
      training: s.model, holidays: s.holidays, lstm: { maxEpochs: 1, seed: 1 },
    });
    const champion = backtest.selection.champion;
    const kind: ScoringChoice = champion === 'ensemble' && backtest.weights
      ? { model: 'ensemble', weights: Object.fromEntries(backtest.weights.models.map((m, j) => [m, backtest.weights!.weights[j]])) }
      : champion === 'seasonal' ? { model: 'seasonal' } : bgnbd;
    return { kind, reason: backtest.selection.reason, table: backtest.selection.table, folds: backtest.report.folds.length };
  } catch (error) {
    if (!(error instanceof ClvError) || error.code !== ErrorCodes.INSUFFICIENT_DATA) throw error;
    return { kind: bgnbd, reason: `BG/NBD + Gamma-Gamma: ${error.message}`, table: null, folds: 0 };
  }
}
