/** `clv evaluate`: flags for app/evaluate-file.ts. */
import type { Command } from 'commander';
import { evaluateFile } from '../../app/evaluate-file.js';
import { processSettings } from '../../config/environment.js';
import { dayIndexOfDate } from '../../core/calendar.js';
import { ClvError, ErrorCodes } from '../../core/errors.js';
import { EVALUATED_MODELS, type ModelChoice } from '../../evaluation/model-evaluation-run.js';
import { defaultCsvColumns, type TransactionFormat } from '../../producers/transaction-file.js';
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
  validationWeeks?: string;
  lstmEpochs: string;
  seed: string;
}

const MODEL_CHOICES: readonly string[] = [...EVALUATED_MODELS, 'all', 'champion'];

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
    .option('--model <name>', `${MODEL_CHOICES.join(' | ')} (all: every model, the backtest and the champion it selects; champion: only the selected model)`, 'bgnbd')
    .option('--validation-weeks <n>', "longest label window of the LSTM, weeks (default: the evaluated window's length where the history allows)")
    .option('--lstm-epochs <n>', 'most LSTM training epochs (early stopping may end sooner)', '40')
    .option('--seed <n>', 'LSTM seed (initial weights, split, shuffles)', '1')
    .action((o: EvaluateOptions) => evaluate(o));
}

function evaluate(o: EvaluateOptions): Promise<void> {
  const { config } = processSettings();
  if (o.format !== 'cdnow' && o.format !== 'csv') throw new ClvError(ErrorCodes.INVALID_CONFIG, `--format must be cdnow or csv, got "${o.format}"`);
  if (o.period !== 'week' && o.period !== 'day') throw new ClvError(ErrorCodes.INVALID_CONFIG, `--period must be week or day, got "${o.period}"`);
  if (!MODEL_CHOICES.includes(o.model)) throw new ClvError(ErrorCodes.INVALID_CONFIG, `--model must be one of ${MODEL_CHOICES.join(', ')}, got "${o.model}"`);
  const seed = Number(o.seed);
  if (!(Number.isSafeInteger(seed) && seed >= 0)) throw new ClvError(ErrorCodes.INVALID_CONFIG, `--seed must be an integer ≥ 0, got "${o.seed}"`);
  const calibrationEndDay = dateFlag(o.calibrationEnd, '--calibration-end');
  const holdoutEndDay = dateFlag(o.holdoutEnd, '--holdout-end');
  if (holdoutEndDay <= calibrationEndDay) throw new ClvError(ErrorCodes.INVALID_CONFIG, '--holdout-end must be after --calibration-end');
  return evaluateFile(config, {
    input: o.input, format: o.format, columns: { customer: o.customerColumn, date: o.dateColumn, amount: o.amountColumn },
    calibrationEnd: o.calibrationEnd, holdoutEnd: o.holdoutEnd, calibrationEndDay, holdoutEndDay, period: o.period, out: o.out,
    model: o.model as ModelChoice, validationWeeks: o.validationWeeks === undefined ? undefined : positiveInt(o.validationWeeks, '--validation-weeks'), lstmEpochs: positiveInt(o.lstmEpochs, '--lstm-epochs'), seed,
  });
}

function dateFlag(value: string, flag: string): number {
  try {
    return dayIndexOfDate(value);
  } catch {
    throw new ClvError(ErrorCodes.INVALID_CONFIG, `${flag} must be a date YYYY-MM-DD, got "${value}"`);
  }
}
