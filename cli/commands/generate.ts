/** `clv generate`: publishes the synthetic shop's event stream (the demo's generator) to Kafka. */
import type { Command } from 'commander';
import { loadConfig } from '../../config/config.js';
import { topicSpecs } from '../../core/topics.js';
import { publishMessages } from '../../producers/publish-messages.js';
import { generateSyntheticHistory } from '../../producers/synthetic/synthetic-history.js';
import { createLogger } from '../../app/logger.js';
import { productionPipeline } from '../../app/production.js';
import { progress } from '../../app/progress.js';
import { positiveInt, positiveNumber } from './options.js';

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
    .option('--start <date>', 'first day', '2023-01-01')
    .option('--end <date>', 'last day', '2025-06-30')
    .option('--rate <n>', 'events per second (default: as fast as possible)')
    .action((o: GenerateOptions) => generate(o));
}

async function generate(o: GenerateOptions): Promise<void> {
  const config = loadConfig(process.env);
  const logger = createLogger(config.logLevel);
  const history = generateSyntheticHistory({
    customers: positiveInt(o.customers, '--customers'), seed: positiveInt(o.seed, '--seed'), start: o.start, end: o.end,
    currency: config.currency, timeZone: config.timeZone, minorPerMajor: config.minorPerUnit,
  });
  const production = await productionPipeline(config, logger);
  try {
    await production.log.createTopics(topicSpecs(config.partitions));
    const bar = progress('publishing events', history.messages.length);
    const rate = o.rate === undefined ? undefined : positiveNumber(o.rate, '--rate');
    const { published, seconds } = await publishMessages(production.log, production.codec, history.messages, { rate, onProgress: (n) => bar.update(n) });
    bar.stop();
    process.stdout.write(`published ${published} messages (${history.stats.deadLetters} of them invalid on purpose) in ${seconds.toFixed(1)} s\n`);
  } finally {
    await production.close();
  }
}
