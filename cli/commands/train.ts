/**
 * `clv train`: fits BG/NBD + Gamma-Gamma on every customer's features as of a time (default
 * now), registers the version, promotes it, and re-scores every customer with it, publishing
 * CLV updates and segment changes.
 */
import type { Command } from 'commander';
import { dayIndexer, dayIndexOfDate } from '../../core/calendar.js';
import { loadConfig } from '../../core/config.js';
import { ClvError, ErrorCodes } from '../../core/errors.js';
import { trainingSettingsFrom } from '../../processors/training/train-customer-value-model.js';
import { modelInputsAsOf, trainAndRegister } from '../../processors/training/train-from-features.js';
import { endOfDayMs } from '../demo/demo-history.js';
import { createLogger } from '../logger.js';
import { productionPipeline } from '../production.js';
import { progress } from '../progress.js';

interface TrainOptions {
  asOf?: string;
  version?: string;
  promote: boolean;
}

export function registerTrain(program: Command): void {
  program
    .command('train')
    .description('fit the models on the features in the store, register and promote the version, re-score everyone')
    .option('--as-of <date>', 'score and train as of the end of this day (YYYY-MM-DD); default now')
    .option('--version <name>', 'version name; default a timestamp')
    .option('--no-promote', 'register without promoting or re-scoring')
    .action((options: TrainOptions) => train(options));
}

async function train(o: TrainOptions): Promise<void> {
  const config = loadConfig(process.env);
  const logger = createLogger(config.logLevel);
  let asOfMs = Date.now();
  if (o.asOf) {
    try {
      asOfMs = endOfDayMs(dayIndexOfDate(o.asOf), config.timeZone);
    } catch {
      throw new ClvError(ErrorCodes.INVALID_CONFIG, `--as-of must be a date YYYY-MM-DD, got "${o.asOf}"`);
    }
  }
  const version = o.version ?? `v${new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '')}`;
  const production = await productionPipeline(config, logger);
  try {
    const settings = trainingSettingsFrom(config, version);
    const { inputs } = await modelInputsAsOf(production.pipeline.stores.histories, asOfMs, settings.periodDays, dayIndexer(config.timeZone), config.minorPerUnit);
    if (inputs.length === 0) throw new ClvError(ErrorCodes.INSUFFICIENT_DATA, 'no customer features in the store yet: run the processors on some events first');
    const { model, trainingMs } = await trainAndRegister(inputs, settings, production.registry, { asOf: new Date(asOfMs).toISOString() });
    process.stdout.write(`trained ${version} on ${inputs.length} customers in ${Math.round(trainingMs)} ms: ${JSON.stringify(model.describe())}\n`);
    if (!o.promote) return;
    await production.registry.promote(version);
    production.pipeline.useModel(model);
    const bar = progress('re-scoring customers', inputs.length);
    const scored = await production.pipeline.rescoreAll(asOfMs, (n) => bar.update(n));
    bar.stop();
    process.stdout.write(`promoted ${version}; re-scored ${scored} customers\n`);
  } finally {
    await production.close();
  }
}
