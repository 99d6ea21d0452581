/**
 * `clv reconcile --statements FILE`: a settlement statement against the stream's captures,
 * refunds and orders in the analytics store (ClickHouse in production; any AnalyticsStore,
 * e.g. the embedded mode's in-memory tables, through `reconcileStatements`). Reads and checks
 * the whole file first, reads the stream side through the port, matches
 * (reconciliation/reconcile-settlements.ts), writes the CSV report and, when asked, a metrics
 * file for node_exporter's textfile collector, and prints the summary.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { Config } from '../config/config.js';
import { dayIndexer, instantOfLocalTime } from '../core/calendar.js';
import { ClvError, ErrorCodes } from '../core/errors.js';
import type { AnalyticsStore } from '../core/ports/analytics-store.js';
import { reconciliationMetricsText } from '../metrics/metrics-registry.js';
import { defaultWindow, reconcileSettlements, type ReconciliationResult, type ReconciliationWindow } from '../reconciliation/reconcile-settlements.js';
import { reconciliationReportCsv, reconciliationSummaryText } from '../reconciliation/reconciliation-report.js';
import { parseSettlementStatement } from '../reconciliation/settlement-statement.js';
import { openModelRuns } from './training-lifecycle.js';

export interface ReconcileOptions {
  /** The statement file. */
  statements: string;
  /** The provider settles a capture at most this many days after it (the window's end moves back by it). */
  settlementLagDays: number;
  /** First / last stream day to reconcile (day indices); default from the statement's dates. */
  fromDay?: number;
  toDay?: number;
  /** Wall clock: the pipeline's future-time rule, and the metrics file's run time. */
  now?: () => number;
}

/** Reads the statement, the stream side from `store`, and matches them. Writes nothing. */
export async function reconcileStatements(store: AnalyticsStore, config: Readonly<Config>, o: ReconcileOptions): Promise<ReconciliationResult> {
  let text: string;
  try {
    text = readFileSync(o.statements, 'utf8');
  } catch (cause) {
    throw new ClvError(ErrorCodes.INVALID_CONFIG, `--statements ${o.statements}: ${(cause as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (cause as Error).message}`, { cause });
  }
  if (o.fromDay !== undefined && o.toDay !== undefined && o.toDay < o.fromDay) throw new ClvError(ErrorCodes.INVALID_CONFIG, '--to must not be before --from');
  const lines = parseSettlementStatement(text, o.statements);
  const fromStatement = defaultWindow(lines, o.settlementLagDays);
  const fromDay = o.fromDay ?? fromStatement?.fromDay;
  const toDay = o.toDay ?? fromStatement?.toDay;
  if (fromDay === undefined || toDay === undefined) {
    throw new ClvError(ErrorCodes.INVALID_CONFIG, `${o.statements} has no lines: give --from and --to for the days it covers (an empty statement says nothing was settled)`);
  }
  const window: ReconciliationWindow = { fromDay, toDay };
  // The period read from the store covers the window and the captures the lines most likely
  // settle (up to the lag before the first settlement date); the store looks up any other
  // reference by itself.
  const firstLineDay = lines.reduce((d, l) => Math.min(d, l.day - o.settlementLagDays), Infinity);
  const lastLineDay = lines.reduce((d, l) => Math.max(d, l.day), -Infinity);
  const dayStart = instantOfLocalTime(config.timeZone);
  const fromMs = dayStart(Math.max(0, Math.min(window.fromDay, firstLineDay)), 0);
  const toMs = dayStart(Math.max(window.toDay, lastLineDay) + 1, 0);
  const stream = await store.settlementCandidates({ fromMs, toMs, references: lines.map((l) => l.reference) });
  return reconcileSettlements({
    lines, ...stream, window, dayOf: dayIndexer(config.timeZone),
    rules: { currency: config.currency, maxFutureSkewMs: config.maxFutureSkewMs, now: o.now ?? Date.now },
  });
}

export interface ReconcileCommandOptions extends ReconcileOptions {
  /** Where the CSV report goes. */
  out: string;
  /** Where the metrics go (Prometheus text format), or null for nowhere. */
  metricsFile: string | null;
}

/**
 * The command: reconciles against ClickHouse (`reconcileInto` with the production store).
 * Resolves to the exit code: 0 clean, 1 discrepancies found; errors reject (the CLI exits 2).
 */
export async function reconcileNow(config: Readonly<Config>, o: ReconcileCommandOptions): Promise<0 | 1> {
  const store = await openModelRuns(config);
  try {
    return await reconcileInto(store, config, o);
  } finally {
    await store.close();
  }
}

/** Reconciles against `store`, writes the report (and metrics file), prints the summary; 0 clean, 1 discrepancies found. */
export async function reconcileInto(store: AnalyticsStore, config: Readonly<Config>, o: ReconcileCommandOptions): Promise<0 | 1> {
  const result = await reconcileStatements(store, config, o);
  writeAtomically(o.out, reconciliationReportCsv(result.discrepancies));
  if (o.metricsFile !== null) {
    writeAtomically(o.metricsFile, await reconciliationMetricsText(result.summary.countsByKind, result.summary.statementLines, (o.now ?? Date.now)()));
  }
  process.stdout.write(reconciliationSummaryText(result.summary));
  process.stdout.write(`report: ${o.out}${o.metricsFile === null ? '' : `; metrics: ${o.metricsFile}`}\n`);
  return result.summary.discrepancies === 0 ? 0 : 1;
}

/** Written beside, then renamed: a reader (node_exporter, a spreadsheet) never sees half a file. */
function writeAtomically(path: string, text: string): void {
  const partial = `${path}.${process.pid}.partial`;
  try {
    writeFileSync(partial, text);
    renameSync(partial, path);
  } catch (cause) {
    throw new ClvError(ErrorCodes.INVALID_CONFIG, `cannot write ${path}: ${(cause as Error).message}`, { cause });
  }
}
