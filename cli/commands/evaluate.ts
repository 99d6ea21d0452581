/**
 * `clv evaluate`: the batch check of accuracy. Summarises RFM at the calibration end, fits
 * BG/NBD + Gamma-Gamma, predicts the holdout, compares with what happened, and writes
 * predictions.csv and metrics.json. Input is validated whole before anything is written,
 * and the files are written to temporary names and renamed, so a failure leaves no half result.
 */
import type { Command } from 'commander';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dayIndexer, dayIndexOfDate } from '../../core/calendar.js';
import { loadConfig } from '../../core/config.js';
import { ClvError, ErrorCodes } from '../../core/errors.js';
import { defaultCsvColumns, readTransactionFile, type TransactionFormat } from '../../producers/transaction-file.js';
import { splitAtCalibrationEnd } from '../../processors/training/calibration-split.js';
import { evaluateHoldout } from '../../processors/training/holdout-evaluation.js';
import { trainCustomerValueModel, trainingSettingsFrom } from '../../processors/training/train-customer-value-model.js';
import { assignSegment } from '../../core/segmentation.js';

interface EvaluateOptions {
  input: string;
  format: TransactionFormat;
  calibrationEnd: string;
  holdoutEnd: string;
  period: 'day' | 'week';
  out: string;
  customerColumn: string;
  dateColumn: string;
  amountColumn: string;
}

export function registerEvaluate(program: Command): void {
  program
    .command('evaluate')
    .description('fit BG/NBD + Gamma-Gamma on a calibration period and measure accuracy on the holdout')
    .requiredOption('--input <file>', 'transaction file')
    .option('--format <format>', 'cdnow | csv', 'csv')
    .requiredOption('--calibration-end <date>', 'last calibration day, YYYY-MM-DD (inclusive)')
    .requiredOption('--holdout-end <date>', 'last holdout day, YYYY-MM-DD (inclusive)')
    .option('--period <unit>', 'model time unit: week | day', 'week')
    .requiredOption('--out <dir>', 'directory for predictions.csv and metrics.json')
    .option('--customer-column <name>', 'CSV column of the customer id', defaultCsvColumns.customer)
    .option('--date-column <name>', 'CSV column of the order date', defaultCsvColumns.date)
    .option('--amount-column <name>', 'CSV column of the amount', defaultCsvColumns.amount)
    .action((options: EvaluateOptions) => runEvaluate(options));
}

function runEvaluate(o: EvaluateOptions): void {
  const config = loadConfig(process.env);
  if (o.format !== 'cdnow' && o.format !== 'csv') throw new ClvError(ErrorCodes.INVALID_CONFIG, `--format must be cdnow or csv, got "${o.format}"`);
  if (o.period !== 'week' && o.period !== 'day') throw new ClvError(ErrorCodes.INVALID_CONFIG, `--period must be week or day, got "${o.period}"`);
  const calibrationEnd = dateFlag(o.calibrationEnd, '--calibration-end');
  const holdoutEnd = dateFlag(o.holdoutEnd, '--holdout-end');
  if (holdoutEnd <= calibrationEnd) throw new ClvError(ErrorCodes.INVALID_CONFIG, '--holdout-end must be after --calibration-end');
  const periodDays = o.period === 'week' ? 7 : 1;

  const transactions = readTransactionFile(o.input, {
    format: o.format, minorPerUnit: config.minorPerUnit, dayOf: dayIndexer(config.timeZone),
    columns: { customer: o.customerColumn, date: o.dateColumn, amount: o.amountColumn },
  });
  const { customerIds: ids, inputs, holdout: actuals } = splitAtCalibrationEnd(transactions, calibrationEnd, holdoutEnd, periodDays, config.minorPerUnit);
  if (ids.length === 0) throw new ClvError(ErrorCodes.INSUFFICIENT_DATA, `${o.input}: no purchase on or before ${o.calibrationEnd}`);

  const model = trainCustomerValueModel(inputs, { ...trainingSettingsFrom(config, 'evaluate'), periodDays });
  const periods = (holdoutEnd - calibrationEnd) / periodDays;
  const { predictions, metrics } = evaluateHoldout(model, inputs.map((input, i) => ({ input, actual: actuals[i] })), periods, config.minorPerUnit);

  const lines = ['customer_id,frequency,recency,T,monetary_value,p_alive,expected_purchases,expected_avg_value,predicted_value,actual_purchases,actual_value,segment'];
  ids.forEach((id, i) => {
    const x = inputs[i];
    const p = predictions[i];
    const score = model.predict(x);
    const segment = assignSegment(
      { clvMinor: Math.round(score.clv * config.minorPerUnit), pAlive: score.pAlive, purchaseDays: x.frequency + 1, ageDays: x.T * periodDays },
      model.thresholds,
    );
    lines.push([
      csvField(id), x.frequency, round(x.recency), round(x.T), round(x.monetaryValue), round(p.pAlive), round(p.expectedPurchases),
      round(p.expectedAvgValue), round(p.predictedValue), actuals[i].purchaseDays, round(actuals[i].valueMinor / config.minorPerUnit), segment,
    ].join(','));
  });
  const report = {
    input: o.input,
    calibration_end: o.calibrationEnd,
    holdout_end: o.holdoutEnd,
    period: o.period,
    customers: ids.length,
    models: model.metricsJson(),
    holdout: {
      periods: metrics.periods,
      predicted_purchases_total: metrics.predictedPurchasesTotal,
      actual_purchases_total: metrics.actualPurchasesTotal,
      predicted_value_total: metrics.predictedValueTotal,
      actual_value_total: metrics.actualValueTotal,
      value_error: metrics.value.aggregateRelativeError,
      spearman_value: metrics.value.spearman,
      gini_value: metrics.value.normalizedGini,
      top_decile_capture: metrics.value.topDecileCapture,
      mae_value: metrics.value.meanAbsoluteError,
      rmse_value: metrics.value.rootMeanSquaredError,
      decile_mape: metrics.value.decileMape,
      purchases_error: metrics.purchases.aggregateRelativeError,
      spearman_purchases: metrics.purchases.spearman,
    },
  };
  mkdirSync(o.out, { recursive: true });
  const write = (name: string, text: string) => {
    const tmp = join(o.out, `.${name}.${process.pid}.tmp`);
    writeFileSync(tmp, text);
    return () => renameSync(tmp, join(o.out, name));
  };
  const commits = [write('predictions.csv', lines.join('\n') + '\n'), write('metrics.json', JSON.stringify(report, null, 2) + '\n')];
  for (const commit of commits) commit();
  process.stdout.write(
    `${ids.length} customers; holdout value predicted ${metrics.predictedValueTotal.toFixed(2)} vs actual ${metrics.actualValueTotal.toFixed(2)} ` +
      `(${fmt(metrics.value.aggregateRelativeError, 100)}%), Spearman ${fmt(metrics.value.spearman)}; wrote ${join(o.out, 'predictions.csv')} and metrics.json\n`,
  );
}

function dateFlag(value: string, flag: string): number {
  try {
    return dayIndexOfDate(value);
  } catch {
    throw new ClvError(ErrorCodes.INVALID_CONFIG, `${flag} must be a date YYYY-MM-DD, got "${value}"`);
  }
}

const fmt = (v: number | null, scale = 1) => (v === null ? 'n/a' : (v * scale).toFixed(scale === 1 ? 3 : 1));
const round = (v: number) => Number(v.toFixed(6));
const csvField = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
