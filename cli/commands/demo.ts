/** `clv demo`: flags for app/demo/demo-command.ts. */
import type { Command } from 'commander';
import { processSettings } from '../../config/environment.js';
import { ClvError, ErrorCodes } from '../../core/errors.js';
import { dateFlag, formatFlag, outputDirectoryFlag, positiveInt } from './options.js';

interface DemoOptions {
  customers: string;
  seed: string;
  input?: string;
  format: string;
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
    .option('--format <format>', 'format of --input: auto | cdnow | csv (auto: CDNOW when the first lines are CDNOW lines, else CSV)', 'auto')
    .option('--calibration-end <date>', 'last calibration day for --input (YYYY-MM-DD; CDNOW default 1997-09-30)')
    .option('--holdout-end <date>', 'last holdout day for --input (YYYY-MM-DD; CDNOW default 1998-06-30)')
    .option('--out <dir>', 'also write the report as JSON to DIR/demo-report.json')
    .option('--serve', 'keep the pipeline running and serve the API (CLV_API_HOST:CLV_API_PORT, default 127.0.0.1:3000)')
    .action(async (o: DemoOptions) => {
      // Every flag is checked here, before minutes of pipeline run; dates against the file's
      // own range once it is read (app/transaction-window.ts), still before the pipeline.
      const settings = processSettings();
      const format = formatFlag(o.format);
      for (const [flag, value] of [['--calibration-end', o.calibrationEnd], ['--holdout-end', o.holdoutEnd]] as const) {
        if (value === undefined) continue;
        if (o.input === undefined) throw new ClvError(ErrorCodes.INVALID_CONFIG, `${flag} applies only with --input (the synthetic history is calibrated to 2024-06-30 and held out to 2025-06-30)`);
        dateFlag(value, flag);
      }
      if (o.calibrationEnd !== undefined && o.holdoutEnd !== undefined && dateFlag(o.holdoutEnd, '--holdout-end') <= dateFlag(o.calibrationEnd, '--calibration-end')) {
        throw new ClvError(ErrorCodes.INVALID_CONFIG, `--holdout-end ${o.holdoutEnd} must be after --calibration-end ${o.calibrationEnd}`);
      }
      const out = o.out === undefined ? undefined : outputDirectoryFlag(o.out, '--out');
      const [customers, seed] = [positiveInt(o.customers, '--customers'), positiveInt(o.seed, '--seed')];
      // Loaded once the flags are good: a mistyped command fails at once.
      const { demoCommand } = await import('../../app/demo/demo-command.js');
      return demoCommand(settings, {
        ...o, format, out, customers, seed,
      });
    });
}
