/**
 * `clv train`: one training run on the feature store as of a time (default now): readiness
 * check, challenger fitted on all but the holdout, compared with the champion on the holdout,
 * refit on everything, registered and recorded in the model runs; when it wins (or `force`),
 * promoted and every customer re-scored with it (a new version republishes every score).
 */
import type { Config } from '../config/config.js';
import { dayIndexer } from '../core/calendar.js';
import { retrainAndRescore, trainingRunSettingsFrom, versionAt } from '../training/retrain.js';
import { createLogger } from './logger.js';
import { productionPipeline } from './production.js';
import { progress } from './progress.js';
import { openModelRuns } from './training-lifecycle.js';

export interface TrainNowOptions {
  /** Train and score as of this instant; default now. */
  asOfMs?: number;
  version?: string;
  promote: boolean;
  force?: boolean;
}

export async function trainNow(config: Readonly<Config>, o: TrainNowOptions): Promise<void> {
  const logger = createLogger(config.logLevel);
  const asOfMs = o.asOfMs ?? Date.now();
  const settings = trainingRunSettingsFrom(config, { version: o.version ?? versionAt(Date.now()), asOfMs, promote: o.promote, force: o.force });
  if (settings.lstm) settings.lstm = { ...settings.lstm, logger };
  const production = await productionPipeline(config, logger);
  const analytics = await openModelRuns(config).catch(async (error) => {
    await production.close();
    throw error;
  });
  try {
    const customers = await production.pipeline.stores.scores.size();
    const bar = progress('re-scoring customers', customers);
    const { run, rescore, forecast } = await retrainAndRescore(
      { histories: production.pipeline.stores.histories, registry: production.registry, analytics, dayOf: dayIndexer(config.timeZone), now: Date.now, pipeline: production.pipeline },
      settings,
      (p) => bar.update(p.scanned),
    );
    bar.stop();
    process.stdout.write(`trained ${run.version} on ${run.figures.customers} customers (${run.figures.repeatCustomers} repeat, ${run.figures.historyDays} days) in ${Math.round(run.trainingMs)} ms: ${JSON.stringify(run.model.describe())}\n`);
    process.stdout.write(`${run.promoted ? 'promoted' : 'not promoted'}: ${run.reason}\n`);
    if (run.lstm && 'record' in run.lstm) {
      const l = run.lstm.record;
      process.stdout.write(`LSTM calibration fit kept with ${run.version} (${l.backend}, ${l.training.epochs} epochs): holdout value MAE ${figure(l.holdout.mae_value)} vs BG/NBD ${figure(run.challenger.value.meanAbsoluteError)}, Spearman ${figure(l.holdout.spearman_value)} vs ${figure(run.challenger.value.spearman)}\n`);
    } else if (run.lstm) {
      process.stdout.write(`LSTM failed (the model is registered all the same): ${run.lstm.error}\n`);
    }
    if (run.lstmKind && 'version' in run.lstmKind) {
      process.stdout.write(`LSTM refitted on everything and registered as ${run.lstmKind.version} (kind lstm; scores only once promoted: clv models promote ${run.lstmKind.version})\n`);
    } else if (run.lstmKind) {
      process.stdout.write(`LSTM version not registered: ${run.lstmKind.error}\n`);
    }
    if (rescore) process.stdout.write(`re-scored ${rescore.rescored} customers; ${rescore.published} scores and ${rescore.segmentChanges} segment changes published\n`);
    if (forecast && 'artifact' in forecast) {
      const a = forecast.artifact;
      process.stdout.write(`revenue forecast (${a.horizonDays} days, total + ${a.series.length - 1} segments) kept with ${run.version}\n`);
    } else if (forecast) {
      process.stdout.write(`revenue forecast failed (the model is registered all the same): ${forecast.error}\n`);
    }
  } finally {
    await analytics.close();
    await production.close();
  }
}

/** A holdout metric for the terminal; n/a when undefined for the data. */
function figure(v: number | null): string {
  return v === null ? 'n/a' : v.toFixed(3);
}
