/**
 * `clv evaluate`: the batch check of accuracy. Fits the chosen model(s) on a calibration
 * period — BG/NBD + Gamma-Gamma (default), Prophet, the LSTM, or their ensemble
 * (evaluation/model-evaluation-run.ts) — predicts the holdout, compares with what
 * happened, and writes predictions.csv and metrics.json. Input is validated whole before
 * anything is written, and the files are written to temporary names and renamed, so a
 * failure leaves no half result.
 */
import type { Command } from 'commander';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dayIndexer, dayIndexOfDate } from '../../core/calendar.js';
import { loadConfig } from '../../config/config.js';
import { ClvError, ErrorCodes } from '../../core/errors.js';
import { assignSegment } from '../../core/segmentation.js';
import { defaultCsvColumns, readTransactionFile, type TransactionFormat } from '../../producers/transaction-file.js';
import { EVALUATED_MODELS, runModelEvaluation, type ModelChoice, type ModelEvaluation } from '../../evaluation/model-evaluation-run.js';
import { purchaseDaysByCustomer } from '../../evaluation/model-evaluation-window.js';
import { trainingSettingsFrom } from '../../models/kinds/train-customer-value-model.js';
import { positiveInt } from './options.js';

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
  model: string;
  validationWeeks: string;
  lstmEpochs: string;
  seed: string;
}

const MODEL_CHOICES: readonly string[] = [...EVALUATED_MODELS, 'all'];

export function registerEvaluate(program: Command): void {
  program
    .command('evaluate')
    .description('fit models on a calibration period and measure their accuracy on the holdout')
    .requiredOption('--input <file>', 'transaction file')
    .option('--format <format>', 'cdnow | csv', 'csv')
    .requiredOption('--calibration-end <date>', 'last calibration day, YYYY-MM-DD (inclusive)')
    .requiredOption('--holdout-end <date>', 'last holdout day, YYYY-MM-DD (inclusive)')
    .option('--period <unit>', 'model time unit: week | day', 'week')
    .requiredOption('--out <dir>', 'directory for predictions.csv and metrics.json')
    .option('--customer-column <name>', 'CSV column of the customer id', defaultCsvColumns.customer)
    .option('--date-column <name>', 'CSV column of the order date', defaultCsvColumns.date)
    .option('--amount-column <name>', 'CSV column of the amount', defaultCsvColumns.amount)
    .option('--model <name>', `${MODEL_CHOICES.join(' | ')} (ensemble and all report every model)`, 'bgnbd')
    .option('--validation-weeks <n>', "ensemble validation window at the calibration period's end, and the LSTM's label window", '13')
    .option('--lstm-epochs <n>', 'most LSTM training epochs (early stopping may end sooner)', '40')
    .option('--seed <n>', 'LSTM seed (initial weights, split, shuffles)', '1')
    .action((options: EvaluateOptions) => runEvaluate(options));
}

async function runEvaluate(o: EvaluateOptions): Promise<void> {
  const config = loadConfig(process.env);
  if (o.format !== 'cdnow' && o.format !== 'csv') throw new ClvError(ErrorCodes.INVALID_CONFIG, `--format must be cdnow or csv, got "${o.format}"`);
  if (o.period !== 'week' && o.period !== 'day') throw new ClvError(ErrorCodes.INVALID_CONFIG, `--period must be week or day, got "${o.period}"`);
  if (!MODEL_CHOICES.includes(o.model)) throw new ClvError(ErrorCodes.INVALID_CONFIG, `--model must be one of ${MODEL_CHOICES.join(', ')}, got "${o.model}"`);
  const validationWeeks = positiveInt(o.validationWeeks, '--validation-weeks');
  const lstmEpochs = positiveInt(o.lstmEpochs, '--lstm-epochs');
  const seed = Number(o.seed);
  if (!(Number.isSafeInteger(seed) && seed >= 0)) throw new ClvError(ErrorCodes.INVALID_CONFIG, `--seed must be an integer ≥ 0, got "${o.seed}"`);
  const calibrationEnd = dateFlag(o.calibrationEnd, '--calibration-end');
  const holdoutEnd = dateFlag(o.holdoutEnd, '--holdout-end');
  if (holdoutEnd <= calibrationEnd) throw new ClvError(ErrorCodes.INVALID_CONFIG, '--holdout-end must be after --calibration-end');
  const periodDays = o.period === 'week' ? 7 : 1;

  const transactions = readTransactionFile(o.input, {
    format: o.format, minorPerUnit: config.minorPerUnit, dayOf: dayIndexer(config.timeZone),
    columns: { customer: o.customerColumn, date: o.dateColumn, amount: o.amountColumn },
  });
  const started = performance.now();
  const result = await runModelEvaluation(purchaseDaysByCustomer(transactions), calibrationEnd, holdoutEnd, {
    model: o.model as ModelChoice,
    training: { ...trainingSettingsFrom(config, 'evaluate'), periodDays },
    validationDays: validationWeeks * 7,
    lstm: { maxEpochs: lstmEpochs, seed },
  });
  const wallMs = Math.round(performance.now() - started);
  const headline = result.models[result.models.length - 1];

  const report = {
    input: o.input,
    calibration_end: o.calibrationEnd,
    holdout_end: o.holdoutEnd,
    period: o.period,
    customers: result.holdout.customerIds.length,
    model: o.model,
    wall_ms: wallMs,
    models: modelsJson(result),
    holdout: result.metrics.get(headline)!,
  };
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
        `Spearman ${fmt(h.spearman_value)}, top decile ${fmt(h.top_decile_capture)}, monthly MAPE ${fmt(h.period_mape, 100)}%\n`,
    );
  }
  process.stdout.write(`${result.holdout.customerIds.length} customers in ${(wallMs / 1000).toFixed(1)} s; wrote ${join(o.out, 'predictions.csv')} and metrics.json\n`);
}

/** BG/NBD's parameters as before, each reported model's holdout metrics and details. */
function modelsJson(r: ModelEvaluation): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = r.bgnbd.metricsJson();
  for (const m of r.models) out[m] = { ...out[m], ...r.details.get(m), holdout: r.metrics.get(m) };
  return out;
}

function predictionsCsv(r: ModelEvaluation, minorPerUnit: number, periodDays: number): string {
  const headline = r.forecasts.get(r.models[r.models.length - 1])!.values;
  const perModel = r.models.map((m) => r.forecasts.get(m)!.values);
  const lines = [
    'customer_id,frequency,recency,T,monetary_value,p_alive,expected_purchases,expected_avg_value,predicted_value,actual_purchases,actual_value,segment,' +
      r.models.map((m) => `predicted_value_${m}`).join(','),
  ];
  const b = r.bgnbdForecast;
  const h = r.holdout;
  h.customerIds.forEach((id, i) => {
    const x = h.inputs[i];
    const score = r.bgnbd.predict(x);
    const segment = assignSegment(
      { clvMinor: Math.round(score.clv * minorPerUnit), pAlive: score.pAlive, purchaseDays: x.frequency + 1, ageDays: x.T * periodDays },
      r.bgnbd.thresholds,
    );
    lines.push([
      csvField(id), x.frequency, round(x.recency), round(x.T), round(x.monetaryValue), round(b.pAlive[i]), round(b.expectedPurchases[i]),
      round(b.expectedAvgValue[i]), round(headline[i]), h.actualPurchaseDays[i], round(h.actualValue[i]), segment,
      ...perModel.map((v) => round(v[i])),
    ].join(','));
  });
  return lines.join('\n') + '\n';
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
