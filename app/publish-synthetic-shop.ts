/** `clv generate`: the synthetic shop's event stream (the demo's generator) published to Kafka. */
import type { Config } from '../config/config.js';
import { topicSpecs } from '../core/topics.js';
import { publishMessages } from '../producers/publish-messages.js';
import { generateSyntheticHistory } from '../producers/synthetic/synthetic-history.js';
import { createLogger } from './logger.js';
import { productionPipeline } from './production.js';
import { progress } from './progress.js';

export interface SyntheticShopOptions {
  customers: number;
  seed: number;
  /** First and last day, YYYY-MM-DD. */
  start: string;
  end: string;
  /** Events per second; default as fast as possible. */
  rate?: number;
}

export async function publishSyntheticShop(config: Readonly<Config>, o: SyntheticShopOptions): Promise<void> {
  const logger = createLogger(config.logLevel);
  const history = generateSyntheticHistory({
    customers: o.customers, seed: o.seed, start: o.start, end: o.end,
    currency: config.currency, timeZone: config.timeZone, minorPerMajor: config.minorPerUnit,
  });
  const production = await productionPipeline(config, logger);
  try {
    await production.log.createTopics(topicSpecs(config.partitions));
    const bar = progress('publishing events', history.messages.length);
    const rate = o.rate;
    const { published, seconds } = await publishMessages(production.log, production.codec, history.messages, { rate, onProgress: (n) => bar.update(n) });
    bar.stop();
    process.stdout.write(`published ${published} messages (${history.stats.deadLetters} of them invalid on purpose) in ${seconds.toFixed(1)} s\n`);
  } finally {
    await production.close();
  }
}
