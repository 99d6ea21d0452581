/**
 * `clv replay --input FILE`: turns a transaction file into order + payment events on Kafka,
 * in time order, optionally at a given rate.
 */
import type { Command } from 'commander';
import { dayIndexer, instantOfLocalTime } from '../../core/calendar.js';
import { loadConfig } from '../../config/config.js';
import { topicSpecs } from '../../core/topics.js';
import { publishMessages, type ProducerMessage } from '../../producers/publish-messages.js';
import { transactionEvents } from '../../producers/transaction-events.js';
import { readTransactionFile, type TransactionFormat } from '../../producers/transaction-file.js';
import { createLogger } from '../../app/logger.js';
import { productionPipeline } from '../../app/production.js';
import { progress } from '../../app/progress.js';
import { positiveNumber } from './options.js';

export function registerReplay(program: Command): void {
  program
    .command('replay')
    .description('publish a transaction file as order and payment events to Kafka')
    .requiredOption('--input <file>', 'transaction file')
    .option('--format <format>', 'cdnow | csv', 'csv')
    .option('--rate <n>', 'events per second (default: as fast as possible)')
    .action((o: { input: string; format: TransactionFormat; rate?: string }) => replay(o));
}

async function replay(o: { input: string; format: TransactionFormat; rate?: string }): Promise<void> {
  const config = loadConfig(process.env);
  const logger = createLogger(config.logLevel);
  const rate = o.rate === undefined ? undefined : positiveNumber(o.rate, '--rate');
  const transactions = readTransactionFile(o.input, { format: o.format, minorPerUnit: config.minorPerUnit, dayOf: dayIndexer(config.timeZone) });
  const noon = instantOfLocalTime(config.timeZone);
  const source = o.input.split('/').pop() ?? o.input;
  const messages: ProducerMessage[] = transactions
    .flatMap((t) => transactionEvents(t, { currency: config.currency, source, timeOfDay: (d) => noon(d, 12) }))
    .sort((a, b) => a.value.event_time - b.value.event_time);
  const production = await productionPipeline(config, logger);
  try {
    await production.log.createTopics(topicSpecs(config.partitions));
    const bar = progress('publishing events', messages.length);
    const { published, seconds } = await publishMessages(production.log, production.codec, messages, { rate, onProgress: (n) => bar.update(n) });
    bar.stop();
    process.stdout.write(`published ${published} events from ${transactions.length} transactions in ${seconds.toFixed(1)} s\n`);
  } finally {
    await production.close();
  }
}
