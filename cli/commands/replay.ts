/** `clv replay --input FILE`: flags for app/replay-transactions.ts. */
import type { Command } from 'commander';
import { processSettings } from '../../config/environment.js';
import { formatFlag, positiveNumber } from './options.js';

export function registerReplay(program: Command): void {
  program
    .command('replay')
    .description('publish a transaction file as order and payment events to Kafka')
    .requiredOption('--input <file>', 'transaction file')
    .option('--format <format>', 'auto | cdnow | csv (auto: CDNOW when the first lines are CDNOW lines, else CSV)', 'auto')
    .option('--rate <n>', 'events per second (default: as fast as possible)')
    .action(async (o: { input: string; format: string; rate?: string }) => {
      const { config } = processSettings();
      const options = { input: o.input, format: formatFlag(o.format), rate: o.rate === undefined ? undefined : positiveNumber(o.rate, '--rate') };
      const { replayTransactions } = await import('../../app/replay-transactions.js');
      return replayTransactions(config, options);
    });
}
