/** `clv demo`: the whole pipeline on the embedded default, with a printed report. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Settings } from '../../config/settings.js';
import { dayIndexer } from '../../core/calendar.js';
import { ClvError, ErrorCodes } from '../../core/errors.js';
import { readTransactionFile, type TransactionFormat } from '../../producers/transaction-file.js';
import { resolveInputFile } from '../input-file.js';
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
  format: TransactionFormat;
  calibrationEnd?: string;
  holdoutEnd?: string;
  out?: string;
  serve?: boolean;
}

export async function demoCommand(settings: Readonly<Settings>, options: DemoCommandOptions): Promise<void> {
  const { config } = settings;
  const logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel);
  const dayOf = dayIndexer(config.timeZone);
  const { customers, seed } = options;
  const history = options.input
    ? fileDemoHistory(readTransactionFile(resolveInputFile(options.input, config.dataDir), { format: options.format, minorPerUnit: config.minorPerUnit, dayOf }), {
        source: options.input.split('/').pop() ?? options.input,
        currency: config.currency,
        timeZone: config.timeZone,
        calibrationEnd: options.calibrationEnd ?? (options.format === 'cdnow' ? '1997-09-30' : required('--calibration-end')),
        holdoutEnd: options.holdoutEnd ?? (options.format === 'cdnow' ? '1998-06-30' : required('--holdout-end')),
      })
    : syntheticDemoHistory({ customers, seed, currency: config.currency, timeZone: config.timeZone, minorPerUnit: config.minorPerUnit });

  const { report, model, registry, embedded } = await runDemo(config, history, logger);
  printDemoReport(report);
  if (options.out) {
    mkdirSync(options.out, { recursive: true });
    writeFileSync(join(options.out, 'demo-report.json'), JSON.stringify(report, null, 2));
  }
  if (options.serve) await serveDemo(config, settings.api, embedded, { model, registry }, logger);
}

function required(flag: string): never {
  throw new ClvError(ErrorCodes.INVALID_CONFIG, `${flag} is required with --format csv`);
}
