/** `clv replay`: a transaction file as order + payment events on Kafka, in time order, optionally at a given rate. */
import type { Config } from '../config/config.js';
import { dayIndexer, instantOfLocalTime } from '../core/calendar.js';
import { topicSpecs } from '../core/topics.js';
import { publishMessages, type ProducerMessage } from '../producers/publish-messages.js';
import { transactionEvents } from '../producers/transaction-events.js';
import { readTransactionFile, type TransactionFormatChoice } from '../producers/transaction-file.js';
import { resolveInputFile } from './input-file.js';
import { createLogger } from './logger.js';
import { productionPipeline } from './production.js';
import { progress } from './progress.js';

export async function replayTransactions(config: Readonly<Config>, o: { input: string; format: TransactionFormatChoice; rate?: number }): Promise<void> {
  const logger = createLogger(config.logLevel);
  const rate = o.rate;
  const transactions = readTransactionFile(resolveInputFile(o.input, config.dataDir), { format: o.format, minorPerUnit: config.minorPerUnit, dayOf: dayIndexer(config.timeZone) });
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
