/**
 * The demo's work, apart from its command line: stream the calibration period through the
 * embedded pipeline, train, re-score, check the holdout, stream the holdout with the model
 * live. The analytics sink runs beside the processors throughout, as `clv run` does, so the
 * analyst tables are in memory at the end. Returns the figures; printing is the caller's business.
 */
import type { Logger } from 'pino';
import { endOfDayMs } from '../../core/calendar.js';
import { dayIndexer } from '../../core/calendar.js';
import type { Config } from '../../config/config.js';
import type { DeadLetterEvent } from '../../core/events.js';
import { analyticsColumns, type AnalyticsTable } from '../../core/ports/analytics-store.js';
import type { Segment } from '../../core/segmentation.js';
import { Topics } from '../../core/topics.js';
import { evaluateHoldout } from '../../evaluation/holdout-evaluation.js';
import { customerSegments, expectedRevenueBySegment, revenueForecastRun } from '../../forecasting/revenue-forecast-run.js';
import type { SegmentRevenueForecastArtifact } from '../../forecasting/segment-revenue-forecast-artifact.js';
import { revenueForecastViews } from '../../forecasting/segment-revenue-forecast-views.js';
import { instantOfLocalTime } from '../../core/calendar.js';
import { InMemoryModelRegistry } from '../../adapters/in-memory/in-memory-model-registry.js';
import type { ScoringModel } from '../../models/kinds/train-scoring-model.js';
import { modelInputsAsOf } from '../../training/model-inputs-as-of.js';
import { trainingRunSettingsFrom } from '../../training/retrain.js';
import { runTraining } from '../../training/training-run.js';
import { segmentHoldoutOutcomes } from '../../evaluation/segment-holdout-outcomes.js';
import { embeddedPipeline } from '../embedded.js';
import { progress } from '../progress.js';
import { type DemoHistory, type DemoMessage } from './demo-history.js';
import type { DemoReport } from './demo-report.js';
import { recommendationFigures } from './demo-recommendations.js';
import { replayMessages } from './replay-messages.js';
import { deadLetterReasonGroup } from './dead-letter-reasons.js';
import { sweepDecay } from '../../processors/decay-sweep.js';

export interface DemoRun {
  report: DemoReport;
  /** The champion the training run chose and promoted. */
  model: ScoringModel;
  /** The in-memory model registry holding it (version v1). */
  registry: InMemoryModelRegistry;
  /** The embedded pipeline and its analytics sink, stopped, with its stores, tables and log still readable. */
  embedded: ReturnType<typeof embeddedPipeline>;
  /** Prophet revenue forecasts, total and per segment, to store with the model run. */
  revenueForecasts: SegmentRevenueForecastArtifact;
  /** Each customer's segment after the re-score as of the calibration end (the forecasts' segmentsAsOfMs); absent: not scored by then. */
  segmentsAtCalibrationEnd: ReadonlyMap<string, Segment | null>;
}

export async function runDemo(config: Readonly<Config>, history: DemoHistory, logger: Logger): Promise<DemoRun> {
  const dayOf = dayIndexer(config.timeZone);
  const embedded = embeddedPipeline(config, logger);
  const { log, codec, pipeline } = embedded;
  await pipeline.start();
  const sink = await embedded.startSink();
  const calibrationEndMs = endOfDayMs(history.calibrationEndDay, config.timeZone);
  const split = history.messages.findIndex((m) => m.deliveredAtMs > calibrationEndMs);
  const calibration = split < 0 ? history.messages : history.messages.slice(0, split);
  const holdout = split < 0 ? [] : history.messages.slice(split);

  // 1. Stream the calibration period: purchases → features (no model yet, nothing scored).
  const streamCalibration = await stream(calibration, 'calibration events');

  // 2. Train on the features as of the end of calibration — the one training path of `clv
  // train` and `clv run training`: readiness, the kind chosen by the backtest, registered in
  // the (in-memory) registry and the model runs, promoted — then re-score everyone.
  const periodDays = config.period === 'week' ? 7 : 1;
  const { ids, inputs } = await modelInputsAsOf(pipeline.stores.histories, calibrationEndMs, periodDays, dayOf, config.minorPerUnit);
  const registry = new InMemoryModelRegistry();
  const trainStart = performance.now();
  const run = await runTraining(
    { histories: pipeline.stores.histories, registry, analytics: embedded.analytics, dayOf, now: Date.now },
    trainingRunSettingsFrom(config, { version: 'v1', asOfMs: calibrationEndMs }),
  );
  const trainingMs = performance.now() - trainStart;
  const model = run.model;
  pipeline.useModel(model);
  const bar = progress('re-scoring customers', ids.length);
  const rescoreStart = performance.now();
  await pipeline.rescoreAll(calibrationEndMs, (n) => bar.update(n));
  const rescoreMs = performance.now() - rescoreStart;
  bar.stop();
  // Segments as of the calibration end: the per-segment revenue forecasts must not know the holdout.
  // One population for every table of the report: the customers the model was fitted on
  // (purchases dated by the calibration end). A few of them have no score yet — an order
  // dated before the end whose payment arrived after it — and count as unscored; a customer
  // whose every order was voided is in no table.
  const scored = await customerSegments(pipeline.stores.scores);
  const segmentsAtCalibrationEnd = new Map<string, Segment | null>(ids.map((id) => [id, scored.get(id) ?? null]));

  // 3. Holdout: predicted purchases and value over the holdout vs what really happened.
  const holdoutPeriods = (history.holdoutEndDay - history.calibrationEndDay) / periodDays;
  const evaluation = evaluateHoldout(
    model,
    inputs.map((input, i) => ({ input, actual: history.actual(ids[i], history.calibrationEndDay, history.holdoutEndDay) })),
    holdoutPeriods,
    config.minorPerUnit,
  );

  const firstDay = Math.min(...inputs.map((x) => history.calibrationEndDay - Math.round(x.T * periodDays)));
  const dayStartMs = (day: number) => instantOfLocalTime(config.timeZone)(day, 0);

  // 4. Stream the holdout period with the model live: scores update as purchases arrive.
  const changesBefore = log.read(Topics.segmentChanges).length;
  const streamHoldout = await stream(holdout, 'holdout events');
  // 5. The decay sweep as of the end of the data, as `clv run training` sweeps: customers who
  // went quiet during the holdout are scored as of the data's end, not of their last purchase.
  const dataEndMs = endOfDayMs(history.holdoutEndDay, config.timeZone);
  const sweep = await sweepDecay(pipeline, dataEndMs);
  await pipeline.stop();
  // The sink has every topic to catch up on (it runs beside the processors, never waited for
  // while streaming): the tables are complete once it has committed the whole log.
  await sink.waitUntilIdle(5);
  await sink.stop();

  // 6. Prophet on daily revenue up to the calibration end, total and per segment, for the
  // holdout's seasonal shape; checked against the holdout's revenue, served by the read model.
  const forecastStart = performance.now();
  const revenueForecasts = await revenueForecastRun({
    // The segments are the scores' after the re-score as of the calibration end: their actuals
    // are of the same customers (GET /v1/revenue/actuals?segment=&as_of=).
    histories: pipeline.stores.histories, segments: segmentsAtCalibrationEnd, segmentsAsOfMs: calibrationEndMs, segmentLevels: expectedRevenueBySegment(ids, evaluation.predictions.map((p) => p.predictedValue * config.minorPerUnit), segmentsAtCalibrationEnd), fromDay: firstDay, toDay: history.calibrationEndDay,
    holdoutToDay: history.holdoutEndDay > history.calibrationEndDay ? history.holdoutEndDay : undefined,
  });
  const forecastMs = performance.now() - forecastStart;
  const views = revenueForecastViews(revenueForecasts, {
    modelVersion: model.version, generatedAtMs: Date.now(), currency: config.currency, dayStartMs,
  });
  for (const [segment, view] of views) embedded.readModel.setRevenueForecast(view, segment);
  const totalForecast = revenueForecasts.series.find((s) => s.key === 'total');

  const deadLetters: Record<string, number> = {};
  for (const m of log.read(Topics.deadLetter)) {
    if (m.value === null) continue;
    const d = (await codec.decode(Topics.deadLetter, m.value)) as DeadLetterEvent;
    const reason = deadLetterReasonGroup(d.error_code, d.reason);
    deadLetters[reason] = (deadLetters[reason] ?? 0) + 1;
  }
  const report: DemoReport = {
    source: history.description,
    config: { timeZone: config.timeZone, currency: config.currency, period: config.period, horizonMonths: config.horizonMonths, monthlyDiscountRate: config.monthlyDiscountRate, minorPerUnit: config.minorPerUnit },
    streaming: {
      calibration: streamCalibration,
      holdout: streamHoldout,
      processors: pipeline.stats(),
      analyticsRows: Object.fromEntries((Object.keys(analyticsColumns) as AnalyticsTable[]).map((t) => [t, embedded.analytics.rowCount(t)])),
    },
    deadLetters: { total: log.read(Topics.deadLetter).length, injected: history.injectedDeadLetters, byReason: deadLetters },
    training: {
      customers: ids.length, unscoredAtCalibrationEnd: ids.filter((id) => segmentsAtCalibrationEnd.get(id) === null).length, ms: trainingMs, rescoreMs, rescoredPerSecond: ids.length / (rescoreMs / 1000),
      model: { kind: model.kind, version: model.version, ...model.describe() },
      selection: { reason: run.selection.reason, folds: run.selection.folds, table: run.selection.table },
      decision: run.reason,
    },
    holdout: evaluation.metrics,
    segmentOutcomes: segmentHoldoutOutcomes(segmentsAtCalibrationEnd, (id) => history.actual(id, history.calibrationEndDay, history.holdoutEndDay))
      .map(({ meanValueMinor, ...o }) => ({ ...o, meanValue: meanValueMinor / config.minorPerUnit })),
    revenueForecast: {
      fitMs: forecastMs,
      series: revenueForecasts.series.map((s) => ({ key: s.key, customers: s.customers, monthlyMape: s.holdout?.mape ?? null, totalRelativeError: s.holdout?.totalRelativeError ?? null, months: s.holdout?.months.length ?? 0 })),
      skipped: revenueForecasts.skipped.map((s) => ({ key: s.key, reason: s.reason })),
      monthlyMape: totalForecast?.holdout?.mape ?? null, totalRelativeError: totalForecast?.holdout?.totalRelativeError ?? null, months: totalForecast?.holdout?.months.length ?? 0,
    },
    segments: await segmentSizes(pipeline),
    segmentsAsOf: new Date(dataEndMs).toISOString().slice(0, 10),
    sweep: { rescored: sweep.rescored, segmentChanges: sweep.segmentChanges },
    segmentChangesDuringHoldout: log.read(Topics.segmentChanges).length - changesBefore,
    topCustomers: await topCustomers(pipeline, 10, config.minorPerUnit),
    recommendations: await recommendationFigures(pipeline.stores.scores),
  };
  return { report, model, registry, embedded, revenueForecasts, segmentsAtCalibrationEnd };

  async function stream(messages: DemoMessage[], label: string) {
    const bar = progress(label, messages.length);
    const figures = await replayMessages({ log, codec, pipeline }, messages, { onProgress: (n) => bar.update(n) });
    bar.stop();
    return figures;
  }
}

async function segmentSizes(pipeline: ReturnType<typeof embeddedPipeline>['pipeline']): Promise<Record<string, number>> {
  const sizes: Record<string, number> = {};
  for await (const page of pipeline.stores.scores.scan(10_000)) {
    for (const [, s] of page) if (s.segment) sizes[s.segment] = (sizes[s.segment] ?? 0) + 1;
  }
  return sizes;
}

async function topCustomers(pipeline: ReturnType<typeof embeddedPipeline>['pipeline'], n: number, minorPerUnit: number) {
  const all: Array<{ customerId: string; clv: number; segment: string; purchaseDays: number; totalValue: number }> = [];
  for await (const page of pipeline.stores.scores.scan(10_000)) {
    for (const [id, s] of page) {
      all.push({ customerId: id, clv: s.clvMinor / minorPerUnit, segment: s.segment ?? '-', purchaseDays: s.features.purchase_days, totalValue: s.features.total_value_minor / minorPerUnit });
    }
  }
  return all.sort((a, b) => b.clv - a.clv).slice(0, n);
}

