/**
 * `clv evaluate`: the batch check of accuracy. Fits the chosen model(s) on a calibration
 * period — BG/NBD + Gamma-Gamma (default), Prophet, the LSTM, or their ensemble
 * (evaluation/model-evaluation-run.ts) — predicts the holdout, compares with what
 * happened, and writes predictions.csv and metrics.json. Input is validated whole before
 * anything is written, and the files are written to temporary names and renamed, so a
 * failure leaves no half result.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config/config.js';
import { dateOfDayIndex, dayIndexer } from '../core/calendar.js';
import { metricsJson, predictionsCsv } from '../evaluation/evaluation-report.js';
import { runModelEvaluation, type ModelChoice } from '../evaluation/model-evaluation-run.js';
import { purchaseDaysByCustomer } from '../evaluation/model-evaluation-window.js';
import { trainingSettingsFrom } from '../models/kinds/train-customer-value-model.js';
import { resolveInputFile } from './input-file.js';
import { readTransactions, type CsvColumns, type TransactionFormatChoice } from '../producers/transaction-file.js';
import { checkTransactionWindow, transactionDays } from './transaction-window.js';

export interface EvaluateFileOptions {
  input: string;
  format: TransactionFormatChoice;
  columns: CsvColumns;
  /** As given (YYYY-MM-DD), for the report, and as day indices. */
  calibrationEnd: string;
  holdoutEnd: string;
  calibrationEndDay: number;
  holdoutEndDay: number;
  period: 'day' | 'week';
  out: string;
  model: ModelChoice;
  /** Longest LSTM label window, weeks (default: the window's length, where the history allows). */
  validationWeeks?: number;
  lstmEpochs: number;
  seed: number;
}

export async function evaluateFile(config: Readonly<Config>, o: EvaluateFileOptions): Promise<void> {
  const periodDays = o.period === 'week' ? 7 : 1;

  const file = readTransactions(resolveInputFile(o.input, config.dataDir), {
    format: o.format, minorPerUnit: config.minorPerUnit, dayOf: dayIndexer(config.timeZone),
    columns: o.columns,
  });
  const { transactions } = file;
  checkTransactionWindow(transactions, o, o.input);
  const { firstDay, lastDay } = transactionDays(transactions, o.input);
  process.stdout.write(
    `${o.input}: ${transactions.length.toLocaleString('en-US')} transactions, ${dateOfDayIndex(firstDay)} to ${dateOfDayIndex(lastDay)} ` +
      `(format ${file.format}${file.detected ? ' (detected)' : ''})\n`,
  );
  const started = performance.now();
  const result = await runModelEvaluation(purchaseDaysByCustomer(transactions), o.calibrationEndDay, o.holdoutEndDay, {
    model: o.model,
    training: { ...trainingSettingsFrom(config, 'evaluate'), periodDays },
    holidays: config.holidays,
    lstm: { maxEpochs: o.lstmEpochs, seed: o.seed, ...(o.validationWeeks !== undefined ? { maxLabelPeriods: (o.validationWeeks * 7) / periodDays } : {}) },
  });
  const wallMs = Math.round(performance.now() - started);
  const report = metricsJson(result, {
    input: o.input, format: file.format, calibration_end: o.calibrationEnd, holdout_end: o.holdoutEnd, period: o.period, model: o.model, wall_ms: wallMs,
  });
  mkdirSync(o.out, { recursive: true });
  const write = (name: string, text: string) => {
    const tmp = join(o.out, `.${name}.${process.pid}.tmp`);
    writeFileSync(tmp, text);
    return () => renameSync(tmp, join(o.out, name));
  };
  const commits = [write('predictions.csv', predictionsCsv(result, config.minorPerUnit, periodDays)), write('metrics.json', JSON.stringify(report, null, 2) + '\n')];
  for (const commit of commits) commit();
  for (const m of result.models) {
    const h = result.metrics.get(m)!;
    process.stdout.write(
      `${m}: holdout value predicted ${h.predicted_value_total.toFixed(2)} vs actual ${h.actual_value_total.toFixed(2)} (${fmt(h.value_error, 100)}%), ` +
        `Spearman ${fmt(h.spearman_value)}, top-decile capture ${fmt(h.top_decile_capture, 100)}%, MAPE of these customers' revenue per month ${fmt(h.period_mape, 100)}%\n`,
    );
  }
  for (const [m, d] of result.details) if (d.failed !== undefined) process.stdout.write(`${m}: could not be fitted: ${String(d.failed)}\n`);
  if (result.selection) process.stdout.write(`champion: ${result.champion} (${result.selection.reason})\n`);
  process.stdout.write(`${result.holdout.customerIds.length} customers (those with a purchase by the calibration end; every figure above is of them) in ${(wallMs / 1000).toFixed(1)} s; wrote ${join(o.out, 'predictions.csv')} and metrics.json\n`);
}


const fmt = (v: number | null, scale = 1) => (v === null ? 'n/a' : (v * scale).toFixed(scale === 1 ? 3 : 1));
