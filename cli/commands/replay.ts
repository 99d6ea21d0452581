/** `clv replay --input FILE`: flags for app/replay-transactions.ts. */
import type { Command } from 'commander';
import { replayTransactions } from '../../app/replay-transactions.js';
import { processSettings } from '../../config/environment.js';
import type { TransactionFormat } from '../../producers/transaction-file.js';
import { positiveNumber } from './options.js';

export function registerReplay(program: Command): void {
  program
    .command('replay')
    .description('publish a transaction file as order and payment events to Kafka')
    .requiredOption('--input <file>', 'transaction file')
    .option('--format <format>', 'cdnow | csv', 'csv')
    .option('--rate <n>', 'events per second (default: as fast as possible)')
    .action((o: { input: string; format: TransactionFormat; rate?: string }) =>
      replayTransactions(processSettings().config, { input: o.input, format: o.format, rate: o.rate === undefined ? undefined : positiveNumber(o.rate, '--rate') }));
}
