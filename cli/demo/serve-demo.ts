/**
 * `clv demo --serve`: after the demo, keeps the embedded pipeline running and serves the
 * API on it (127.0.0.1:3000 by default), with a one-off key printed for curl. Events POSTed
 * to /v1/events flow through the same processors; POST /v1/models/retrain retrains.
 */
import type { Logger } from 'pino';
import { buildApp } from '../../api/build-app.js';
import { loadApiConfig, withEphemeralKey } from '../../api/api-config.js';
import type { Config } from '../../core/config.js';
import type { BgNbdGammaGammaModel } from '../../processors/training/bgnbd-gamma-gamma-model.js';
import { trainCustomerValueModel, trainingSettingsFrom } from '../../processors/training/train-customer-value-model.js';
import { modelInputsAsOf } from '../../processors/training/train-from-features.js';
import type { embeddedPipeline } from '../embedded.js';
import { pollConsumerLag } from '../prometheus-observer.js';

export async function serveDemo(config: Readonly<Config>, embedded: ReturnType<typeof embeddedPipeline>, model: BgNbdGammaGammaModel, logger: Logger): Promise<void> {
  const { log, codec, pipeline, readModel } = embedded;
  readModel.recordModel(model, { trainedAtMs: Date.now() });
  await pipeline.start();
  const stopLagPoll = pollConsumerLag(log, pipeline);
  let versions = 1;
  const retrain = async () => {
    // "Now" in event time: the latest purchase the features processor has seen.
    const asOfMs = pipeline.features.watermarkMs;
    const settings = trainingSettingsFrom(config, `v${++versions}`);
    const { inputs } = await modelInputsAsOf(pipeline.stores.histories, asOfMs, settings.periodDays, embedded.dayOf, config.minorPerUnit);
    const next = trainCustomerValueModel(inputs, settings);
    pipeline.useModel(next);
    readModel.recordModel(next, { trainedAtMs: Date.now() });
    await pipeline.rescoreAll(asOfMs);
    return { version: next.version };
  };
  const { config: api, key } = withEphemeralKey(loadApiConfig(process.env));
  const app = await buildApp({ readModel, log, codec, config, api, logger, retrain });
  await app.listen({ host: api.host, port: api.port });
  const base = `http://${api.host}:${api.port}`;
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
    const stop = async () => {
      stopLagPoll();
      await app.close();
      await pipeline.stop();
      resolve();
    };
    process.once('SIGINT', () => void stop());
    process.once('SIGTERM', () => void stop());
  });
}
