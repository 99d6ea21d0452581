/**
 * What `clv run [roles…]` runs in one process: the stream processors against Kafka, the
 * schema registry and Redis, the ClickHouse sink, the webhook bridge, scheduled training and
 * the commerce anomaly watch, with /metrics on CLV_METRICS_PORT. Each role may run in its own process, several per
 * consumer group. SIGTERM/SIGINT finish the batch in hand, commit and close.
 */
import type { AddressInfo } from 'node:net';
import type { Settings } from '../config/settings.js';
import { ClvError, ErrorCodes } from '../core/errors.js';
import { pollConsumerLag, processorLagSources } from '../metrics/prometheus-observer.js';
import { ProcessorNames } from '../processors/pipeline.js';
import { createLogger } from './logger.js';
import { serveMetrics } from './metrics-server.js';
import { productionPipeline, startClickHouseSink, startWebhookBridge } from './production.js';
import { startScheduledTraining } from './scheduled-training.js';
import { startCommerceAnomalyWatch } from './commerce-anomaly-watch.js';

/** The roles `clv run` knows: the processors, then the sink, webhooks, training and the anomaly watch. */
export const ProcessRoles = [...ProcessorNames, 'sink', 'webhooks', 'training', 'anomalies'] as const;

/**
 * The roles to run when none are named: all but training and anomalies — `clv run` is scaled
 * out to several instances, and a deployment wants exactly one process retraining and
 * re-scoring everyone, and one judging the days — and webhooks only where endpoints are
 * configured.
 */
function defaultRoles(settings: Readonly<Settings>): string[] {
  return ProcessRoles.filter((n) => n !== 'training' && n !== 'anomalies' && (n !== 'webhooks' || settings.webhooks !== null));
}

/** Resolves once the roles run; `stopped` resolves when a signal has stopped them all. */
export async function runProcessors(settings: Readonly<Settings>, names: readonly string[]): Promise<{ stopped: Promise<void> }> {
  const { config } = settings;
  const logger = createLogger(config.logLevel);
  for (const n of names) {
    if (!(ProcessRoles as readonly string[]).includes(n)) throw new ClvError(ErrorCodes.INVALID_CONFIG, `unknown processor "${n}" (known: ${ProcessRoles.join(', ')})`);
  }
  const selected = names.length > 0 ? [...names] : defaultRoles(settings);
  if (selected.includes('webhooks') && settings.webhooks === null) {
    throw new ClvError(ErrorCodes.INVALID_CONFIG, 'CLV_WEBHOOKS_FILE is not set: the webhooks role needs endpoints');
  }
  const only = ProcessorNames.filter((n) => selected.includes(n));
  // Signals are taken from the first moment: one that arrives while consumers are still
  // joining their groups waits for start-up to finish, then stops cleanly.
  let signalled: string | null = null;
  let shutdown: ((signal: string) => Promise<void>) | null = null;
  const onSignal = (signal: string) => {
    if (shutdown) void shutdown(signal);
    else signalled = signal;
  };
  process.once('SIGTERM', () => onSignal('SIGTERM'));
  process.once('SIGINT', () => onSignal('SIGINT'));

  const production = await productionPipeline(config, logger);
  const { pipeline } = production;
  if (only.includes('scoring')) await production.champion.refreshLogged();
  await pipeline.start(only);
  const sink = selected.includes('sink') ? await startClickHouseSink(config, production.log, production.codec, logger) : null;
  const webhooks = selected.includes('webhooks') && settings.webhooks ? await startWebhookBridge(settings.webhooks, production.log, production.codec, logger) : null;
  const training = selected.includes('training') ? await startScheduledTraining(config, production, logger) : null;
  const anomalies = selected.includes('anomalies') ? await startCommerceAnomalyWatch(config, production, logger) : null;
  const stopLagPoll = pollConsumerLag(production.log, [
    ...processorLagSources(pipeline, only),
    ...(sink ? [sink.lagSource] : []),
    ...(webhooks ? webhooks.lagSources : []),
  ]);
  const metrics = await serveMetrics(config.metricsHost, config.metricsPort);
  logger.info({ processors: selected, brokers: config.kafkaBrokers, pid: process.pid, metrics: `http://${config.metricsHost}:${(metrics.address() as AddressInfo).port}/metrics` }, 'processors started');

  const stopChampionPoll = only.includes('scoring') ? production.champion.poll(config.modelPollMs) : () => {};
  let stopping = false;
  let markStopped!: () => void;
  const stopped = new Promise<void>((resolve) => (markStopped = resolve));
  shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping: finishing the batch in hand');
    stopChampionPoll();
    stopLagPoll();
    metrics.close();
    await pipeline.stop();
    await sink?.stop();
    await webhooks?.stop();
    await training?.stop();
    await anomalies?.stop();
    await production.close();
    logger.info({ stats: pipeline.stats() }, 'stopped');
    markStopped();
  };
  if (signalled) await shutdown(signalled);
  return { stopped };
}
