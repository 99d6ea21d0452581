/** `clv demo`: the whole pipeline on the embedded default, with a printed report. */
import type { Command } from 'commander';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dayIndexer } from '../../core/calendar.js';
import { loadConfig } from '../../config/config.js';
import { ClvError, ErrorCodes } from '../../core/errors.js';
import { readTransactionFile, type TransactionFormat } from '../../producers/transaction-file.js';
import { fileDemoHistory, syntheticDemoHistory } from '../../app/demo/demo-history.js';
import { printDemoReport } from '../../app/demo/demo-report.js';
import { runDemo } from '../../app/demo/run-demo.js';
import { serveDemo } from '../../app/demo/serve-demo.js';
import { createLogger } from '../../app/logger.js';
import { positiveInt } from './options.js';

interface DemoOptions {
  customers: string;
  seed: string;
  input?: string;
  format: TransactionFormat;
  calibrationEnd?: string;
  holdoutEnd?: string;
  out?: string;
  serve?: boolean;
}

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('run the whole pipeline in one process on a synthetic history (or --input FILE) and print a report')
    .option('--customers <n>', 'synthetic customers', '20000')
    .option('--seed <n>', 'synthetic history seed', '1')
    .option('--input <file>', 'replay a transaction file instead of the synthetic history')
    .option('--format <format>', 'format of --input: cdnow | csv', 'cdnow')
    .option('--calibration-end <date>', 'last calibration day for --input (YYYY-MM-DD)')
    .option('--holdout-end <date>', 'last holdout day for --input (YYYY-MM-DD)')
    .option('--out <dir>', 'also write the report as JSON to DIR/demo-report.json')
    .option('--serve', 'keep the pipeline running and serve the API (CLV_API_HOST:CLV_API_PORT, default 127.0.0.1:3000)')
    .action((options: DemoOptions) => demo(options));
}

async function demo(options: DemoOptions): Promise<void> {
  const config = loadConfig(process.env);
  const logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel);
  const dayOf = dayIndexer(config.timeZone);
  const customers = positiveInt(options.customers, '--customers');
  const seed = positiveInt(options.seed, '--seed');
  const history = options.input
    ? fileDemoHistory(readTransactionFile(options.input, { format: options.format, minorPerUnit: config.minorPerUnit, dayOf }), {
        source: options.input.split('/').pop() ?? options.input,
        currency: config.currency,
        timeZone: config.timeZone,
        calibrationEnd: options.calibrationEnd ?? (options.format === 'cdnow' ? '1997-09-30' : required('--calibration-end')),
        holdoutEnd: options.holdoutEnd ?? (options.format === 'cdnow' ? '1998-06-30' : required('--holdout-end')),
      })
    : syntheticDemoHistory({ customers, seed, currency: config.currency, timeZone: config.timeZone, minorPerUnit: config.minorPerUnit });

  const { report, model, embedded } = await runDemo(config, history, logger);
  printDemoReport(report);
  if (options.out) {
    mkdirSync(options.out, { recursive: true });
    writeFileSync(join(options.out, 'demo-report.json'), JSON.stringify(report, null, 2));
  }
  if (options.serve) await serveDemo(config, embedded, model, logger);
}

function required(flag: string): never {
  throw new ClvError(ErrorCodes.INVALID_CONFIG, `${flag} is required with --format csv`);
}
