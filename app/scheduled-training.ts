/**
 * The `training` role of `clv run`: retrains every CLV_RETRAIN_INTERVAL_MS and sweeps decay
 * every CLV_DECAY_SWEEP_INTERVAL_MS, on the wall clock (production data is live). Scoring
 * processes elsewhere pick a new champion up by polling the registry; this process re-scores
 * everyone once after a promotion. A run the data cannot support yet is logged and retried
 * at the next interval. With no champion at start-up it tries a first retrain at once, so a
 * new deployment does not wait a whole interval for its first model.
 */
import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import { dayIndexer } from '../core/calendar.js';
import { ClvError, ErrorCodes } from '../core/errors.js';
import { sweepAtDataTime } from '../processors/decay-sweep.js';
import { retrainAndRescore, trainingRunSettingsFrom, versionAt } from '../training/retrain.js';
import { RetrainingSchedule } from '../training/retraining-schedule.js';
import type { ProductionPipeline } from './production.js';
import { openModelRuns } from './training-lifecycle.js';
import { enableTrainingMetrics, recordTrainingRun } from '../metrics/metrics-registry.js';
import { reportChampion } from '../metrics/report-champion.js';

export async function startScheduledTraining(config: Readonly<Config>, production: ProductionPipeline, logger: Logger, clock: () => number = Date.now) {
  const { pipeline, registry } = production;
  const analytics = await openModelRuns(config);
  const dayOf = dayIndexer(config.timeZone);
  enableTrainingMetrics();
  const schedule = new RetrainingSchedule(
    {
      async retrain(nowMs) {
        await production.champion.refresh();
        // As of the data's time, not the wall clock's: a replay of old history trains as of
        // its own last event (on a live shop the two are minutes apart).
        const asOfMs = (await pipeline.dataTimeMs()) ?? nowMs;
        const settings = trainingRunSettingsFrom(config, { version: versionAt(Date.now()), asOfMs });
        const { run, rescore, forecast } = await retrainAndRescore({ histories: pipeline.stores.histories, registry, analytics, dayOf, now: Date.now, pipeline }, settings);
        logger.info({ version: run.version, promoted: run.promoted, reason: run.reason, data: run.figures, trainingMs: Math.round(run.trainingMs), rescore }, 'scheduled retrain');
        recordTrainingRun(run.promoted ? 'promoted' : 'not_promoted');
        await reportChampion(registry).catch((err) => logger.warn({ err }, 'champion metric not updated: model registry unreadable'));
        if (forecast && 'error' in forecast) logger.warn({ version: run.version, reason: forecast.error }, 'revenue forecast failed; the model is registered all the same');
      },
      async sweep() {
        // A rollback or a promotion by hand since the last sweep: decay with the champion in use.
        await production.champion.refresh();
        const { asOfMs, ...r } = await sweepAtDataTime(pipeline, config.decaySweepIntervalMs);
        logger.info({ asOf: asOfMs === null ? null : new Date(asOfMs).toISOString(), ...r }, 'decay sweep');
      },
    },
    {
      retrainIntervalMs: config.retrainIntervalMs,
      sweepIntervalMs: config.decaySweepIntervalMs,
      clock,
      onError(job, err) {
        const insufficient = err instanceof ClvError && err.code === ErrorCodes.INSUFFICIENT_DATA;
        if (job === 'retrain') recordTrainingRun(insufficient ? 'insufficient_data' : 'failed');
        if (insufficient) logger.warn({ job, reason: err.message }, 'retrain skipped');
        else logger.error({ err, job }, `${job} failed; retrying at the next interval`);
      },
    },
  );
  await production.champion.refreshLogged();
  schedule.start();
  if (pipeline.championModel() === null) void schedule.run('retrain');
  logger.info({ retrainIntervalMs: config.retrainIntervalMs, sweepIntervalMs: config.decaySweepIntervalMs }, 'scheduled training started');
  return {
    /** Runs a job now (after any in flight): for tests and operators. */
    run: (job: 'retrain' | 'sweep') => schedule.run(job),
    async stop() {
      await schedule.stop();
      await analytics.close();
    },
  };
}
