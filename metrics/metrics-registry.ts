/**
 * The process's Prometheus metrics (prom-client), served at GET /metrics. Processors,
 * consumers and producers report through the functions below, so none of them imports
 * prom-client or knows metric names.
 *
 * Labels are bounded on purpose: topics, processors, error codes, segments and model
 * versions — never customer ids, event ids or free-text reasons.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export const metricsRegistry = new Registry();
const registers = [metricsRegistry];

const eventsIn = new Counter({ name: 'clv_events_in_total', help: 'Messages consumed, by topic', labelNames: ['topic'], registers });
const eventsOut = new Counter({ name: 'clv_events_out_total', help: 'Messages published, by topic', labelNames: ['topic'], registers });
const consumerLag = new Gauge({ name: 'clv_consumer_lag', help: 'Messages not yet committed, by consumer group', labelNames: ['group'], registers });
const deadLetters = new Counter({ name: 'clv_dead_letters_total', help: 'Inputs sent to the dead-letter topic, by error code', labelNames: ['reason'], registers });
const processing = new Histogram({
  name: 'clv_processing_duration_seconds',
  help: 'Time to process one batch, by processor',
  labelNames: ['processor'],
  buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  registers,
});
const scores = new Counter({ name: 'clv_scores_total', help: 'CLV scores computed, by model version', labelNames: ['model_version'], registers });
const segmentChanges = new Counter({ name: 'clv_segment_changes_total', help: 'Segment changes, by previous and new segment', labelNames: ['from', 'to'], registers });
const segmentCustomers = new Gauge({ name: 'clv_segment_customers', help: 'Customers per segment (at scrape time)', labelNames: ['segment'], registers });
const modelMetric = new Gauge({ name: 'clv_model_metric', help: 'Evaluation metrics of each model version', labelNames: ['version', 'metric'], registers });
const apiRequests = new Histogram({
  name: 'clv_api_request_duration_seconds',
  help: 'API request latency, by method, route template and status code',
  labelNames: ['method', 'route', 'status_code'],
  buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  registers,
});

const championTrained = new Gauge({
  name: 'clv_champion_trained_timestamp_seconds',
  help: 'When the champion model this process sees was trained (registered), Unix seconds, labelled by its version',
  labelNames: ['version'],
  registers,
});

// Registered only by the process that runs the role (enableTrainingMetrics, enableSinkMetrics):
// an API or a processor does not export a training counter stuck at zero.
const trainingRuns = new Counter({
  name: 'clv_training_runs_total',
  help: 'Scheduled training runs (clv run training), by outcome: promoted, not_promoted, insufficient_data, failed',
  labelNames: ['outcome'],
  registers: [],
});
const sinkInsertRetries = new Counter({ name: 'clv_sink_insert_retries_total', help: 'ClickHouse sink inserts retried after a retriable failure', registers: [] });
const sinkInsertFailures = new Counter({
  name: 'clv_sink_insert_failures_total',
  help: 'ClickHouse sink inserts that failed for good (not retriable, or out of attempts): the batch is redelivered, the tables fall behind',
  labelNames: ['table'],
  registers: [],
});
const sinkRejectedRows = new Counter({
  name: 'clv_sink_rejected_rows_total',
  help: 'Rows the ClickHouse sink could not write because they break their table\'s schema, by table; their messages went to the dead-letter topic',
  labelNames: ['table'],
  registers: [],
});

const commerceAnomalies = new Counter({
  name: 'clv_commerce_anomalies_total',
  help: 'Unusual days of orders or payments the anomaly watch (clv run anomalies) found, by metric and direction (SPIKE, DROP)',
  labelNames: ['metric', 'direction'],
  registers: [],
});
const commerceDayAnomaly = new Gauge({
  name: 'clv_commerce_day_anomaly',
  help: 'The anomaly watch\'s verdict on the latest day it judged, by metric: 1 spike, -1 drop, 0 usual (or no day judged yet)',
  labelNames: ['metric'],
  registers: [],
});
const commerceDayScore = new Gauge({
  name: 'clv_commerce_day_anomaly_score',
  help: 'Robust score (log scale) of the latest day the anomaly watch judged, by metric; beyond +/- CLV_ANOMALY_THRESHOLD is unusual',
  labelNames: ['metric'],
  registers: [],
});

/** The metric names every process defines (tests check /metrics exposes them). */
export const metricNames = [
  'clv_events_in_total', 'clv_events_out_total', 'clv_consumer_lag', 'clv_dead_letters_total', 'clv_processing_duration_seconds',
  'clv_scores_total', 'clv_segment_changes_total', 'clv_segment_customers', 'clv_model_metric', 'clv_api_request_duration_seconds',
  'clv_champion_trained_timestamp_seconds',
] as const;

/** The metric names only the process running a role defines: scheduled training, the ClickHouse sink, the anomaly watch. */
export const roleMetricNames = [
  'clv_training_runs_total', 'clv_sink_insert_retries_total', 'clv_sink_insert_failures_total', 'clv_sink_rejected_rows_total',
  'clv_commerce_anomalies_total', 'clv_commerce_day_anomaly', 'clv_commerce_day_anomaly_score',
] as const;

/** Outcomes of a scheduled training run, each exported from the start (at zero) so that rates and alerts see them. */
export const TrainingOutcomes = ['promoted', 'not_promoted', 'insufficient_data', 'failed'] as const;
export type TrainingOutcome = (typeof TrainingOutcomes)[number];

// `clv reconcile` runs once and exits (from cron, say), so nothing scrapes it: its figures go
// to a file in the Prometheus text format for node_exporter's textfile collector
// (docs/monitoring.md). A registry of their own, not served by any process.
const reconciliationRegistry = new Registry();
const reconciliationDiscrepancies = new Gauge({
  name: 'clv_reconciliation_discrepancies',
  help: 'Discrepancies the last clv reconcile run found between the settlement statement and the stream, by kind',
  labelNames: ['kind'],
  registers: [reconciliationRegistry],
});
const reconciliationLastRun = new Gauge({
  name: 'clv_reconciliation_last_run_timestamp_seconds',
  help: 'When the last clv reconcile run finished, Unix seconds',
  registers: [reconciliationRegistry],
});
const reconciliationLines = new Gauge({
  name: 'clv_reconciliation_statement_lines',
  help: 'Lines of the settlement statement the last clv reconcile run read',
  registers: [reconciliationRegistry],
});

/** The metric names of a `clv reconcile` run's metrics file (reconciliationMetricsText). */
export const reconciliationMetricNames = ['clv_reconciliation_discrepancies', 'clv_reconciliation_last_run_timestamp_seconds', 'clv_reconciliation_statement_lines'] as const;

/**
 * A reconciliation run's figures in the Prometheus text format: discrepancies per kind (every
 * kind, zeros included, so that the alert sees a clean run), statement lines, when it finished.
 */
export async function reconciliationMetricsText(countsByKind: Readonly<Record<string, number>>, statementLines: number, finishedAtMs: number): Promise<string> {
  reconciliationDiscrepancies.reset();
  for (const [kind, n] of Object.entries(countsByKind)) reconciliationDiscrepancies.set({ kind }, n);
  reconciliationLines.set(statementLines);
  reconciliationLastRun.set(finishedAtMs / 1000);
  return reconciliationRegistry.metrics();
}

let trainingMetricsOn = false;

/** Adds the training metrics, every outcome at zero; for the process that runs scheduled training. */
export function enableTrainingMetrics(): void {
  if (trainingMetricsOn) return;
  trainingMetricsOn = true;
  metricsRegistry.registerMetric(trainingRuns);
  for (const outcome of TrainingOutcomes) trainingRuns.inc({ outcome }, 0);
}

export function recordTrainingRun(outcome: TrainingOutcome): void {
  trainingRuns.inc({ outcome });
}

let sinkMetricsOn = false;

/** Adds the ClickHouse sink's metrics, a failure and a rejected-row count per table at zero; for the process that runs the sink. */
export function enableSinkMetrics(tables: readonly string[]): void {
  if (sinkMetricsOn) return;
  sinkMetricsOn = true;
  metricsRegistry.registerMetric(sinkInsertRetries);
  metricsRegistry.registerMetric(sinkInsertFailures);
  metricsRegistry.registerMetric(sinkRejectedRows);
  for (const table of tables) {
    sinkInsertFailures.inc({ table }, 0);
    sinkRejectedRows.inc({ table }, 0);
  }
}

export function recordSinkRejectedRows(table: string, count = 1): void {
  sinkRejectedRows.inc({ table }, count);
}

export function recordSinkInsertRetry(): void {
  sinkInsertRetries.inc();
}

export function recordSinkInsertFailure(table: string): void {
  sinkInsertFailures.inc({ table });
}

let anomalyMetricsOn = false;

/** Adds the anomaly watch's metrics, every metric and direction at zero; for the process that runs it. */
export function enableAnomalyMetrics(metrics: readonly string[]): void {
  if (anomalyMetricsOn) return;
  anomalyMetricsOn = true;
  for (const m of [commerceAnomalies, commerceDayAnomaly, commerceDayScore]) metricsRegistry.registerMetric(m);
  for (const metric of metrics) {
    for (const direction of ['SPIKE', 'DROP']) commerceAnomalies.inc({ metric, direction }, 0);
    commerceDayAnomaly.set({ metric }, 0);
    commerceDayScore.set({ metric }, 0);
  }
}

/** The verdict on the latest day judged, per metric; and one count per unusual day found. */
export function recordAnomalyVerdicts(latest: ReadonlyArray<{ metric: string; direction: 'SPIKE' | 'DROP' | null; score: number }>, found: ReadonlyArray<{ metric: string; direction: string }>): void {
  for (const v of latest) {
    commerceDayAnomaly.set({ metric: v.metric }, v.direction === 'SPIKE' ? 1 : v.direction === 'DROP' ? -1 : 0);
    commerceDayScore.set({ metric: v.metric }, v.score);
  }
  for (const f of found) commerceAnomalies.inc({ metric: f.metric, direction: f.direction });
}

/** The champion's version and training time; the previous champion's series goes away. */
export function recordChampion(version: string, trainedAtMs: number): void {
  if (!Number.isFinite(trainedAtMs)) return;
  championTrained.reset();
  championTrained.set({ version }, trainedAtMs / 1000);
}

let processMetricsOn = false;

/** Adds Node's process metrics (CPU, memory, event-loop lag, GC) once, prefixed clv_. */
export function enableProcessMetrics(): void {
  if (processMetricsOn) return;
  processMetricsOn = true;
  collectDefaultMetrics({ register: metricsRegistry, prefix: 'clv_' });
}

export function recordEventsIn(topic: string, count = 1): void {
  eventsIn.inc({ topic }, count);
}

export function recordEventsOut(topic: string, count = 1): void {
  eventsOut.inc({ topic }, count);
}

export function recordConsumerLag(group: string, lag: number): void {
  consumerLag.set({ group }, lag);
}

/** `reason` is the error code (e.g. CLV_INVALID_EVENT), not the free-text reason. */
export function recordDeadLetter(reason: string, count = 1): void {
  deadLetters.inc({ reason }, count);
}

export function observeProcessing(processor: string, seconds: number): void {
  processing.observe({ processor }, seconds);
}

export function recordScores(modelVersion: string, count = 1): void {
  scores.inc({ model_version: modelVersion }, count);
}

/** `from` is null the first time a customer is segmented. */
export function recordSegmentChange(from: string | null, to: string, count = 1): void {
  segmentChanges.inc({ from: from ?? 'none', to }, count);
}

export function recordSegmentSizes(sizes: Readonly<Record<string, number>>): void {
  for (const [segment, n] of Object.entries(sizes)) segmentCustomers.set({ segment }, n);
}

export function recordModelMetrics(version: string, metrics: Readonly<Record<string, number>>): void {
  for (const [metric, v] of Object.entries(metrics)) if (Number.isFinite(v)) modelMetric.set({ version, metric }, v);
}

export function observeApiRequest(method: string, route: string, statusCode: number, seconds: number): void {
  apiRequests.observe({ method, route, status_code: statusCode }, seconds);
}
