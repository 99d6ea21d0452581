/** `clv evaluate`: flags for app/evaluate-file.ts. */
import type { Command } from 'commander';
import { processSettings } from '../../config/environment.js';
import { ClvError, ErrorCodes } from '../../core/errors.js';
import { MODEL_CHOICES, type ModelChoice } from '../../evaluation/evaluated-models.js';
import { defaultCsvColumns } from '../../producers/transaction-file.js';
import { dateFlag, formatFlag, outputDirectoryFlag, positiveInt } from './options.js';

interface EvaluateOptions {
  input: string;
  format: string;
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

export function registerEvaluate(program: Command): void {
  program
    .command('evaluate')
    .description('fit models on a calibration period and measure their accuracy on the holdout')
    .requiredOption('--input <file>', 'transaction file')
    .option('--format <format>', 'auto | cdnow | csv (auto: CDNOW when the first lines are CDNOW lines, else CSV)', 'auto')
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

async function evaluate(o: EvaluateOptions): Promise<void> {
  const { config } = processSettings();
  // Loaded here, not at start: a mistyped command fails at once instead of after the models load.
  const { evaluateFile } = await import('../../app/evaluate-file.js');
  const format = formatFlag(o.format);
  if (o.period !== 'week' && o.period !== 'day') throw new ClvError(ErrorCodes.INVALID_CONFIG, `--period must be week or day, got "${o.period}"`);
  if (!(MODEL_CHOICES as readonly string[]).includes(o.model)) throw new ClvError(ErrorCodes.INVALID_CONFIG, `--model must be one of ${MODEL_CHOICES.join(', ')}, got "${o.model}"`);
  const seed = Number(o.seed);
  if (!(Number.isSafeInteger(seed) && seed >= 0)) throw new ClvError(ErrorCodes.INVALID_CONFIG, `--seed must be an integer ≥ 0, got "${o.seed}"`);
  const calibrationEndDay = dateFlag(o.calibrationEnd, '--calibration-end');
  const holdoutEndDay = dateFlag(o.holdoutEnd, '--holdout-end');
  if (holdoutEndDay <= calibrationEndDay) throw new ClvError(ErrorCodes.INVALID_CONFIG, `--holdout-end ${o.holdoutEnd} must be after --calibration-end ${o.calibrationEnd}`);
  const out = outputDirectoryFlag(o.out, '--out');
  return evaluateFile(config, {
    input: o.input, format, columns: { customer: o.customerColumn, date: o.dateColumn, amount: o.amountColumn },
    calibrationEnd: o.calibrationEnd, holdoutEnd: o.holdoutEnd, calibrationEndDay, holdoutEndDay, period: o.period, out,
    model: o.model as ModelChoice, validationWeeks: o.validationWeeks === undefined ? undefined : positiveInt(o.validationWeeks, '--validation-weeks'), lstmEpochs: positiveInt(o.lstmEpochs, '--lstm-epochs'), seed,
  });
}
