/** Prints the demo's findings as a short plain-text report on stdout. */
import type { ProcessorStats } from '../../processors/run-keyed-processor.js';
import type { SegmentHoldoutOutcome } from '../../evaluation/segment-holdout-outcomes.js';
import type { HoldoutMetrics } from '../../evaluation/holdout-evaluation.js';
import type { RecommendationFigures } from './demo-recommendations.js';
import type { ReplayFigures } from './replay-messages.js';


export interface DemoReport {
  source: string;
  config: Record<string, string | number>;
  streaming: {
    calibration: ReplayFigures; holdout: ReplayFigures; processors: Record<string, ProcessorStats>;
    /** Rows per analytics table (in memory) once the sink caught up; absent in reports from before the embedded sink. */
    analyticsRows?: Record<string, number>;
  };
  deadLetters: { total: number; injected: number | null; byReason: Record<string, number> };
  training: {
    customers: number;
    /** Of `customers`, those with no score at the calibration end (their purchase, dated before it, arrived after). */
    unscoredAtCalibrationEnd: number;
    ms: number; rescoreMs: number; rescoredPerSecond: number;
    /** The champion: its kind, version and parameters. */
    model: { kind: string; version: string } & Record<string, unknown>;
    /** How its kind was chosen (the backtest's table), as `clv evaluate --model all` reports it. */
    selection: { reason: string; folds: number; table: unknown };
    decision: string;
  };
  holdout: HoldoutMetrics;
  /** What each calibration-end segment's customers did in the holdout; absent in reports from before. */
  segmentOutcomes?: Array<Omit<SegmentHoldoutOutcome, 'meanValueMinor'> & { meanValue: number }>;
  /** The total's holdout accuracy, and each fitted series' (total first); series too thin to fit are skipped. */
  revenueForecast: {
    fitMs: number; monthlyMape: number | null; totalRelativeError: number | null; months: number;
    series: Array<{ key: string; customers: number; monthlyMape: number | null; totalRelativeError: number | null; months: number }>;
    skipped: Array<{ key: string; reason: string }>;
  };
  segments: Record<string, number>;
  /** The data's last day: the closing decay sweep's as-of, so every customer's segment is as of it. */
  segmentsAsOf: string;
  /** The closing sweep: customers re-scored as of segmentsAsOf, and how many of them changed segment. */
  sweep: { rescored: number; segmentChanges: number };
  segmentChangesDuringHoldout: number;
  topCustomers: Array<{ customerId: string; clv: number; segment: string; purchaseDays: number; totalValue: number }>;
  recommendations: RecommendationFigures;
}

const KIND_NAMES: Record<string, string> = {
  'bgnbd-gamma-gamma': 'BG/NBD + Gamma-Gamma',
  'seasonal-bgnbd-gamma-gamma': 'seasonal BG/NBD + Gamma-Gamma (operational time)',
  ensemble: 'ensemble',
};

const int = (n: number) => Math.round(n).toLocaleString('en-US');
const money = (n: number) => n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const pct = (n: number) => `${(100 * n).toFixed(1)}%`;

export function printDemoReport(r: DemoReport, write: (line: string) => void = (l) => process.stdout.write(l + '\n')): void {
  const { calibration, holdout, processors } = r.streaming;
  const total = calibration.events + holdout.events;
  const seconds = calibration.seconds + holdout.seconds;
  write('');
  write('clv-stream demo');
  write('===============');
  write(`source        ${r.source}`);
  write(`settings      ${Object.entries(r.config).map(([k, v]) => `${k}=${v}`).join('  ')}`);
  write('');
  write('Streaming (embedded log → purchases → features → scoring)');
  const processing = calibration.processingSeconds + holdout.processingSeconds;
  write(`  input events         ${int(total)} in ${seconds.toFixed(2)} s = ${int(total / seconds)} events/s with encoding, ${int(total / processing)} events/s processing`);
  for (const [name, s] of Object.entries(processors)) {
    write(`  ${name.padEnd(20)} ${int(s.messagesIn)} in, ${int(s.outputs)} out, ${int(Object.values(s.deadLetters).reduce((a, b) => a + b, 0))} dead-lettered, ${int(s.batches)} batches`);
  }
  if (r.streaming.analyticsRows) {
    write(`  analytics tables     ${Object.entries(r.streaming.analyticsRows).filter(([, n]) => n > 0).map(([t, n]) => `${t} ${int(n)}`).join(', ')} rows (in memory; ClickHouse in production)`);
  }
  write(`  dead letters         ${int(r.deadLetters.total)}${r.deadLetters.injected === null ? '' : ` (the generator injected ${int(r.deadLetters.injected)})`}`);
  for (const [reason, n] of Object.entries(r.deadLetters.byReason).sort((a, b) => b[1] - a[1])) write(`    ${String(n).padStart(6)}  ${reason}`);
  write('');
  write(`Champion: ${KIND_NAMES[r.training.model.kind] ?? r.training.model.kind} (${r.training.model.version}), fitted on the calibration period`);
  write(`  chosen because       ${r.training.selection.reason}`);
  const table = r.training.selection.table as Array<{ model: string; mean_abs_value_error: number | null; mean_spearman: number | null; qualifies: boolean; why: string }> | null;
  if (table) {
    write(`  backtest             ${r.training.selection.folds} rolling-origin folds inside the calibration period: mean |value error|, mean Spearman`);
    for (const row of table) {
      write(`    ${row.model.padEnd(10)} ${row.mean_abs_value_error === null ? '   n/a' : pct(row.mean_abs_value_error).padStart(6)}  ${fixed(row.mean_spearman)}  ${row.why}`);
    }
  }
  write(`  customers            ${int(r.training.customers)}, trained in ${int(r.training.ms)} ms (backtest included); re-scored all in ${int(r.training.rescoreMs)} ms (${int(r.training.rescoredPerSecond)}/s)`);
  for (const [k, v] of Object.entries(r.training.model)) if (k !== 'kind' && k !== 'version') write(`  ${k.padEnd(20)} ${typeof v === 'object' ? JSON.stringify(v) : v}`);
  write('');
  const periodName = r.config.period === 'week' ? 'weeks' : 'days';
  write(`Holdout accuracy of the per-customer model: the ${int(r.training.customers)} customers it was fitted on, over the ${r.holdout.periods.toFixed(1)} ${periodName} after the calibration end, against what they really did`);
  const h = r.holdout;
  write(`  purchases            predicted ${int(h.predictedPurchasesTotal)}, actual ${int(h.actualPurchasesTotal)} (${signedPct(h.predictedPurchasesTotal, h.actualPurchasesTotal)})`);
  write(`  value                predicted ${money(h.predictedValueTotal)}, actual ${money(h.actualValueTotal)} (${signedPct(h.predictedValueTotal, h.actualValueTotal)})`);
  const v = h.value;
  write(`  per customer value   Spearman ${fixed(v.spearman)}, normalized Gini ${fixed(v.normalizedGini)}, top-decile capture ${v.topDecileCapture === null ? 'n/a' : pct(v.topDecileCapture)}, MAE ${v.meanAbsoluteError === null ? 'n/a' : money(v.meanAbsoluteError)}`);
  if (r.segmentOutcomes) {
    write('  segments             the same customers by their segment at the calibration end, in the holdout:');
    for (const o of r.segmentOutcomes) {
      write(`    ${o.segment.padEnd(18)} ${int(o.customers).padStart(7)} customers, ${pct(o.returnedShare).padStart(6)} bought again, ${money(o.meanValue).padStart(9)} each on average`);
    }
    if (r.training.unscoredAtCalibrationEnd > 0) write(`    ${'not scored yet'.padEnd(18)} ${int(r.training.unscoredAtCalibrationEnd).padStart(7)} customers (a purchase dated before the calibration end, paid after it)`);
  }
  const f = r.revenueForecast;
  write(`  revenue forecast     a separate model: Prophet (yearly + weekly + retail holidays) on these customers' daily revenue, ${f.series.length} series fitted in ${int(f.fitMs)} ms;`);
  write('                       its monthly MAPE is of revenue per calendar month (not per customer), its total of the whole holdout');
  write('                       (a segment: its customers at the calibration end; its level from BG/NBD + Gamma-Gamma, its shape from the total\'s forecast):');
  const totalSeries = f.series.find((x) => x.key === 'total');
  if (totalSeries && totalSeries.customers !== r.training.customers) {
    write(`                       (${int(totalSeries.customers)} customers: those with revenue by the calibration end as the data stands at its end, after later cancellations, refunds and late payments; the model's ${int(r.training.customers)} were counted at the calibration end)`);
  }
  for (const x of f.series) {
    write(`    ${x.key.padEnd(18)} monthly MAPE ${x.monthlyMape === null ? 'n/a' : pct(x.monthlyMape)} over ${x.months} months, total ${x.totalRelativeError === null ? 'n/a' : signedPct(1 + x.totalRelativeError, 1)} (${int(x.customers)} customers)`);
  }
  for (const x of f.skipped) write(`    ${x.key.padEnd(18)} not fitted: ${x.reason}`);
  write('');
  write(`Segments as of ${r.segmentsAsOf} (the end of the data; the closing decay sweep re-scored ${int(r.sweep.rescored)} quiet customers, ${int(r.sweep.segmentChanges)} changed segment)`);
  const segTotal = Object.values(r.segments).reduce((a, b) => a + b, 0);
  for (const [segment, n] of Object.entries(r.segments).sort((a, b) => b[1] - a[1])) write(`  ${segment.padEnd(20)} ${int(n).padStart(8)}  ${pct(n / segTotal)}`);
  write(`  segment changes published while streaming the holdout and sweeping: ${int(r.segmentChangesDuringHoldout)}`);
  write('');
  write('Top customers by CLV');
  write(`  ${'customer'.padEnd(12)} ${'CLV'.padStart(12)}  ${'segment'.padEnd(14)} ${'days'.padStart(5)} ${'spent'.padStart(12)}`);
  for (const c of r.topCustomers) write(`  ${c.customerId.padEnd(12)} ${money(c.clv).padStart(12)}  ${c.segment.padEnd(14)} ${String(c.purchaseDays).padStart(5)} ${money(c.totalValue).padStart(12)}`);
  write('');
  if (r.recommendations) printRecommendations(r.recommendations, write);
}

function printRecommendations(rec: RecommendationFigures, write: (line: string) => void): void {
  write('Recommended actions (the action policy, with category statistics stored with the model)');
  for (const [action, n] of Object.entries(rec.byAction).sort((a, b) => b[1].customers - a[1].customers)) {
    const top = (rec.topCategories[action] ?? []).map(([c, k]) => `${c} ${int(k)}`).join(', ');
    write(`  ${action.padEnd(12)} ${int(n.customers).padStart(8)} customers, ${int(n.withCategories)} with categories${top ? `: ${top}` : ''}`);
  }
  for (const e of rec.examples) {
    write(`  e.g. ${e.customerId} (${e.segment}) → ${e.action} [${e.categories.join(', ')}]`);
    write(`       ${e.reason.length > 160 ? `${e.reason.slice(0, 157)}...` : e.reason}`);
  }
  write('');
}

const fixed = (n: number | null) => (n === null ? 'n/a' : n.toFixed(3));

function signedPct(predicted: number, actual: number): string {
  if (actual === 0) return 'n/a';
  const e = (predicted - actual) / actual;
  return `${e >= 0 ? '+' : ''}${(100 * e).toFixed(1)}%`;
}
