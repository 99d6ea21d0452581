/** `clv demo`: the whole pipeline on the embedded default, with a printed report. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Settings } from '../../config/settings.js';
import { dayIndexer, dayIndexOfDate } from '../../core/calendar.js';
import { ClvError, ErrorCodes } from '../../core/errors.js';
import { readTransactions, type TransactionFormatChoice } from '../../producers/transaction-file.js';
import { resolveInputFile } from '../input-file.js';
import { checkTransactionWindow } from '../transaction-window.js';
import { createLogger } from '../logger.js';
import { fileDemoHistory, syntheticDemoHistory } from './demo-history.js';
import { printDemoReport } from './demo-report.js';
import { runDemo } from './run-demo.js';
import { serveDemo } from './serve-demo.js';

export interface DemoCommandOptions {
  /** Synthetic customers and seed (without `input`). */
  customers: number;
  seed: number;
  input?: string;
  format: TransactionFormatChoice;
  /** YYYY-MM-DD, checked by the caller; default for a CDNOW file 1997-09-30 and 1998-06-30. */
  calibrationEnd?: string;
  holdoutEnd?: string;
  out?: string;
  serve?: boolean;
}

export async function demoCommand(settings: Readonly<Settings>, options: DemoCommandOptions): Promise<void> {
  const { config } = settings;
  const logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel);
  const { customers, seed } = options;
  const history = options.input
    ? inputHistory(settings, options.input, options)
    : syntheticDemoHistory({ customers, seed, currency: config.currency, timeZone: config.timeZone, minorPerUnit: config.minorPerUnit });

  const { report, model, registry, embedded } = await runDemo(config, history, logger);
  printDemoReport(report);
  if (options.out) {
    mkdirSync(options.out, { recursive: true });
    writeFileSync(join(options.out, 'demo-report.json'), JSON.stringify(report, null, 2));
  }
  if (options.serve) await serveDemo(config, settings.api, embedded, { model, registry }, logger);
}

/** The file's history, its dates checked against the data before anything runs. */
function inputHistory(settings: Readonly<Settings>, input: string, options: DemoCommandOptions) {
  const { config } = settings;
  const file = readTransactions(resolveInputFile(input, config.dataDir), { format: options.format, minorPerUnit: config.minorPerUnit, dayOf: dayIndexer(config.timeZone) });
  const required = (flag: string): never => {
    throw new ClvError(ErrorCodes.INVALID_CONFIG, `${flag} is required with a CSV --input (YYYY-MM-DD; only CDNOW files have defaults)`);
  };
  const calibrationEnd = options.calibrationEnd ?? (file.format === 'cdnow' ? '1997-09-30' : required('--calibration-end'));
  const holdoutEnd = options.holdoutEnd ?? (file.format === 'cdnow' ? '1998-06-30' : required('--holdout-end'));
  checkTransactionWindow(file.transactions, { calibrationEnd, holdoutEnd, calibrationEndDay: dayIndexOfDate(calibrationEnd), holdoutEndDay: dayIndexOfDate(holdoutEnd) }, input);
  return fileDemoHistory(file.transactions, {
    source: input.split('/').pop() ?? input, currency: config.currency, timeZone: config.timeZone, calibrationEnd, holdoutEnd,
  });
}
