/**
 * `clv demo --serve`: after the demo, keeps the embedded pipeline and its analytics sink
 * running and serves the API on them (127.0.0.1:3000 by default), with a one-off key printed
 * for curl. Events POSTed to /v1/events flow through the same processors into the same
 * in-memory analyst tables; POST /v1/models/retrain retrains. Per-segment revenue actuals
 * come from those tables' score history, as `clv serve`'s come from ClickHouse.
 */
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { buildApp } from '../../api/build-app.js';
import { withEphemeralKey, type ApiConfig } from '../../config/api-config.js';
import { instantOfLocalTime } from '../../core/calendar.js';
import type { Config } from '../../config/config.js';
import type { CustomerValueModel } from '../../core/customer-value-model.js';
import type { ModelRegistry } from '../../core/ports/model-registry.js';
import { sweepAtDataTime } from '../../processors/decay-sweep.js';
import { retrainAndRescore, trainingRunSettingsFrom } from '../../training/retrain.js';
import { revenueForecastViews } from '../../forecasting/segment-revenue-forecast-views.js';
import { RetrainingSchedule } from '../../training/retraining-schedule.js';
import type { embeddedPipeline } from '../embedded.js';
import { pollConsumerLag, processorLagSources } from '../../metrics/prometheus-observer.js';
import { forgetCustomer } from '../forget-customer.js';

export interface DemoApi {
  /** Not listening yet: `listen` it, or `inject` requests. */
  app: FastifyInstance;
  /** Stops the schedule, the app, the processors and the sink, in that order. */
  stop(): Promise<void>;
}

/** Restarts the demo's pipeline and sink and builds the API on them. */
export async function startDemoApi(
  config: Readonly<Config>, embedded: ReturnType<typeof embeddedPipeline>, champion: { model: CustomerValueModel; registry: ModelRegistry }, logger: Logger, api: Readonly<ApiConfig>,
): Promise<DemoApi> {
  const { model, registry } = champion;
  const { log, codec, pipeline, readModel, analytics } = embedded;
  // With its registry record: the backtest its training run recorded is the API's (and the dashboard's) accuracy of it.
  const recordOf = async (version: string) => (await registry.list()).find((v) => v.version === version);
  const record = await recordOf(model.version);
  readModel.recordModel(model, { trainedAtMs: record ? Date.parse(record.registeredAt) : Date.now(), details: record?.details });
  await pipeline.start();
  // A new sink in the same group: it resumes where the demo's left off.
  const sink = await embedded.startSink();
  const stopLagPoll = pollConsumerLag(log, [...processorLagSources(pipeline), sink.lagSource]);
  let versions = 1;
  // Embedded training lifecycle: the demo run's registry in memory (its champion the one a
  // retrain must beat on the holdout), model runs in the analyst tables.
  const retrain = async () => {
    // "Now" in data time, as `clv run training` has it.
    const asOfMs = (await pipeline.dataTimeMs()) ?? pipeline.features.watermarkMs;
    const settings = trainingRunSettingsFrom(config, { version: `v${++versions}`, asOfMs });
    const { run, forecast } = await retrainAndRescore({ histories: pipeline.stores.histories, registry, analytics, dayOf: embedded.dayOf, now: Date.now, pipeline }, settings);
    logger.info({ version: run.version, promoted: run.promoted, reason: run.reason }, 'retrained');
    if (run.promoted) readModel.recordModel(run.model, { trainedAtMs: Date.now(), details: (await recordOf(run.version))?.details });
    if (run.promoted && forecast && 'artifact' in forecast) {
      const views = revenueForecastViews(forecast.artifact, { modelVersion: run.version, generatedAtMs: Date.now(), currency: config.currency, dayStartMs: (day) => instantOfLocalTime(config.timeZone)(day, 0) });
      for (const [segment, view] of views) readModel.setRevenueForecast(view, segment);
    }
    return { version: run.version, promoted: run.promoted, reason: run.reason };
  };
  // The same schedule and the same data-time sweep as `clv run training`.
  const schedule = new RetrainingSchedule(
    { retrain, sweep: () => sweepAtDataTime(pipeline, config.decaySweepIntervalMs) },
    {
      retrainIntervalMs: config.retrainIntervalMs,
      sweepIntervalMs: config.decaySweepIntervalMs,
      clock: () => pipeline.eventTimeNowMs(),
      onError: (job, err) => logger.warn({ err, job }, `scheduled ${job} failed`),
    },
  );
  schedule.start();
  // DELETE /v1/customers/:id erases from the in-process stores, topics and analyst tables.
  const forget = (customerId: string, requestedBy: string) => forgetCustomer({ stores: pipeline.stores, log, codec, analytics }, customerId, requestedBy);
  const app = await buildApp({ readModel, log, codec, config, api, logger, retrain, forgetCustomer: forget });
  return {
    app,
    async stop() {
      await schedule.stop();
      stopLagPoll();
      await app.close();
      await pipeline.stop();
      await sink.stop();
    },
  };
}

export async function serveDemo(config: Readonly<Config>, apiConfig: Readonly<ApiConfig>, embedded: ReturnType<typeof embeddedPipeline>, champion: { model: CustomerValueModel; registry: ModelRegistry }, logger: Logger): Promise<void> {
  const { config: api, key } = withEphemeralKey(apiConfig);
  const { app, stop } = await startDemoApi(config, embedded, champion, logger, api);
  await app.listen({ host: api.host, port: api.port });
  const base = `${api.tls === null ? 'http' : 'https'}://${api.host}:${api.port}`;
  process.stdout.write(
    [
      `Serving the API on ${base} (Ctrl-C to stop). A key for this run, with every scope:`,
      `  export CLV_KEY=${key}`,
      `  curl -H "Authorization: Bearer $CLV_KEY" ${base}/v1/segments`,
      `  curl -H "Authorization: Bearer $CLV_KEY" ${base}/v1/customers/<id>`,
      `  dashboard: ${base}/dashboard/   OpenAPI: ${base}/docs   metrics: ${base}/metrics`,
      '',
    ].join('\n'),
  );
  await new Promise<void>((resolve) => {
    const onSignal = () => void stop().then(resolve);
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  });
}
