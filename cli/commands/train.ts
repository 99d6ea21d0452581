/** `clv train`: flags for app/train-now.ts. */
import type { Command } from 'commander';
import { processSettings } from '../../config/environment.js';
import { asOfFlag } from './options.js';

interface TrainOptions {
  asOf?: string;
  version?: string;
  promote: boolean;
  force?: boolean;
}

export function registerTrain(program: Command): void {
  program
    .command('train')
    .description('fit the models on the features in the store, compare with the champion on a holdout, register, promote the winner and re-score everyone')
    .option('--as-of <date>', 'score and train as of the end of this day (YYYY-MM-DD); default now')
    .option('--version <name>', 'version name; default a timestamp')
    .option('--no-promote', 'register without promoting or re-scoring')
    .option('--force', 'promote even if the challenger does not beat the champion by CLV_PROMOTION_MARGIN')
    .action(async (o: TrainOptions) => {
      const { config } = processSettings();
      const asOfMs = asOfFlag(o.asOf, config.timeZone) ?? undefined;
      const { trainNow } = await import('../../app/train-now.js');
      return trainNow(config, { asOfMs, version: o.version, promote: o.promote, force: o.force });
    });
}
