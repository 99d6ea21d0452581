/** `clv demo`: flags for app/demo/demo-command.ts. */
import type { Command } from 'commander';
import { demoCommand } from '../../app/demo/demo-command.js';
import { processSettings } from '../../config/environment.js';
import type { TransactionFormat } from '../../producers/transaction-file.js';
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
    .action((o: DemoOptions) => demoCommand(processSettings(), { ...o, customers: positiveInt(o.customers, '--customers'), seed: positiveInt(o.seed, '--seed') }));
}
