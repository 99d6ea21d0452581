/**
 * A training run followed, when it promoted, by a re-score of every customer with the new
 * champion as of the run's as-of: what `clv train`, `clv run training` and the API's retrain
 * hook do, then the revenue forecast kept with the version. Also the settings of a run from
 * the validated config.
 */
import type { Config } from '../config/config.js';
import type { Pipeline, RescoreSummary } from '../processors/pipeline.js';
import { saveSegmentRevenueForecast, type SegmentRevenueForecastArtifact } from '../forecasting/segment-revenue-forecast-artifact.js';
import { trainingSettingsFrom } from '../models/kinds/train-customer-value-model.js';
import { forecastAfterTraining, REVENUE_FORECAST_ATTACHMENT, type TrainingForecastSettings } from '../forecasting/training-forecast.js';
import { runTraining, type TrainingRunDeps, type TrainingRunResult, type TrainingRunSettings } from './training-run.js';

export interface RetrainSettings extends TrainingRunSettings {
  /** The revenue forecast attached to the version; null: none. */
  forecast: (TrainingForecastSettings & { minorPerUnit: number }) | null;
}

export interface RetrainResult {
  run: TrainingRunResult;
  rescore: RescoreSummary | null;
  /** Null when none was asked for. */
  forecast: { artifact: SegmentRevenueForecastArtifact } | { error: string } | null;
}

export async function retrainAndRescore(
  deps: TrainingRunDeps & { pipeline: Pipeline },
  settings: RetrainSettings,
  onProgress?: (p: RescoreSummary) => void,
): Promise<RetrainResult> {
  const run = await runTraining(deps, settings);
  let rescore: RescoreSummary | null = null;
  if (run.promoted) {
    deps.pipeline.useModel(run.model);
    rescore = await deps.pipeline.rescore({ asOfMs: settings.asOfMs, onProgress });
  }
  if (settings.forecast === null) return { run, rescore, forecast: null };
  // After the re-score, so that a promoted version's forecast splits by its own segments. A
  // forecast that fails does not undo a trained and registered model: it is reported instead.
  try {
    const artifact = await forecastAfterTraining(deps.pipeline.stores, run.model, settings.asOfMs, { dayOf: deps.dayOf, minorPerUnit: settings.forecast.minorPerUnit }, settings.forecast);
    await deps.registry.attach(run.version, REVENUE_FORECAST_ATTACHMENT, saveSegmentRevenueForecast(artifact));
    return { run, rescore, forecast: { artifact } };
  } catch (error) {
    return { run, rescore, forecast: { error: (error as Error).message } };
  }
}

export function trainingRunSettingsFrom(
  config: Readonly<Config>,
  o: { version: string; asOfMs: number; promote?: boolean; force?: boolean },
): RetrainSettings {
  return {
    forecast: config.forecastHorizonDays === 0 ? null : {
      horizonDays: config.forecastHorizonDays,
      holidays: config.holidays,
      minorPerUnit: config.minorPerUnit,
    },
    asOfMs: o.asOfMs,
    model: trainingSettingsFrom(config, o.version),
    holidays: config.holidays,
    holdoutDays: config.trainingHoldoutDays,
    promotionMargin: config.promotionMargin,
    readiness: { minCustomers: config.minTrainingCustomers, minRepeatCustomers: config.minRepeatCustomers, minHistoryDays: config.minHistoryDays },
    promote: o.promote ?? true,
    force: o.force ?? false,
    // Its calibration fit is kept with the version and judged (training-lstm.ts); the lstm kind
    // refitted on everything is registered beside it, scoring once promoted (training-lstm-kind.ts).
    lstm: config.trainLstm ? { maxEpochs: config.lstmEpochs, seed: 1, minorPerUnit: config.minorPerUnit } : null,
  };
}

/** A version name from a wall-clock time: v20261125T160102 (one run a second at most). */
export function versionAt(nowMs: number): string {
  return `v${new Date(nowMs).toISOString().replace(/[-:]/g, '').replace(/\..*/, '')}`;
}
