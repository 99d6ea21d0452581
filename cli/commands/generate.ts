/** `clv generate`: flags for app/publish-synthetic-shop.ts. */
import type { Command } from 'commander';
import { processSettings } from '../../config/environment.js';
import { ClvError, ErrorCodes } from '../../core/errors.js';
import { dateFlag, positiveInt, positiveNumber } from './options.js';

interface GenerateOptions {
  customers: string;
  seed: string;
  start: string;
  end: string;
  rate?: string;
}

export function registerGenerate(program: Command): void {
  program
    .command('generate')
    .description('publish a synthetic order/payment stream (duplicates, late and invalid events included) to Kafka')
    .option('--customers <n>', 'customers', '20000')
    .option('--seed <n>', 'seed', '1')
    .option('--start <date>', 'first day (YYYY-MM-DD)', '2023-01-01')
    .option('--end <date>', 'last day (YYYY-MM-DD)', '2025-06-30')
    .option('--rate <n>', 'events per second (default: as fast as possible)')
    .action(async (o: GenerateOptions) => {
      const { config } = processSettings();
      if (dateFlag(o.end, '--end') <= dateFlag(o.start, '--start')) throw new ClvError(ErrorCodes.INVALID_CONFIG, `--end ${o.end} must be after --start ${o.start}`);
      const options = {
        customers: positiveInt(o.customers, '--customers'), seed: positiveInt(o.seed, '--seed'), start: o.start, end: o.end,
        rate: o.rate === undefined ? undefined : positiveNumber(o.rate, '--rate'),
      };
      const { publishSyntheticShop } = await import('../../app/publish-synthetic-shop.js');
      return publishSyntheticShop(config, options);
    });
}
