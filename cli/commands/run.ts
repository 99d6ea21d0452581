/**
 * `clv run [processors…]` (and `npm start`): the stream processors against Kafka, the
 * schema registry and Redis, as configured by env vars. Each processor may run in its own
 * process, several per consumer group. SIGTERM/SIGINT finish the batch in hand, commit and
 * close.
 */
import type { Command } from 'commander';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../../config/config.js';
import { ClvError, ErrorCodes } from '../../core/errors.js';
import { ProcessorNames } from '../../processors/pipeline.js';
import { createLogger } from '../../app/logger.js';
import { productionPipeline, refreshChampion, serveMetrics, startClickHouseSink, startWebhookBridge } from '../../app/production.js';
import { pollConsumerLag, processorLagSources } from '../../metrics/prometheus-observer.js';
import { startScheduledTraining } from '../../app/scheduled-training.js';

export function registerRun(program: Command): void {
  program
    .command('run')
    .description(
      `run stream processors against Kafka + schema registry + Redis, the ClickHouse sink, webhooks and scheduled retraining ` +
        `(${[...ProcessorNames, 'sink', 'webhooks', 'training'].join(', ')}; default all but training, and webhooks only when CLV_WEBHOOKS_FILE is set)`,
    )
    .argument('[processors...]', 'which processors to run in this process')
    .action((names: string[]) => run(names));
}

async function run(names: string[]): Promise<void> {
  const config = loadConfig(process.env);
  const logger = createLogger(config.logLevel);
  const known = [...ProcessorNames, 'sink', 'webhooks', 'training'];
  for (const n of names) {
    if (!known.includes(n)) throw new ClvError(ErrorCodes.INVALID_CONFIG, `unknown processor "${n}" (known: ${known.join(', ')})`);
  }
  // Webhooks run by default only where endpoints are configured. Training never runs by
  // default: `clv run` is scaled out to several instances, and a deployment wants exactly one
  // process retraining and re-scoring everyone.
  const selected = names.length > 0 ? names : known.filter((n) => n !== 'training' && (n !== 'webhooks' || process.env.CLV_WEBHOOKS_FILE));
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
  const { pipeline, registry } = production;
  if (only.includes('scoring')) await refreshChampion(registry, pipeline, logger);
  await pipeline.start(only);
  const sink = selected.includes('sink') ? await startClickHouseSink(config, production.log, production.codec, logger) : null;
  const webhooks = selected.includes('webhooks') ? await startWebhookBridge(production.log, production.codec, logger) : null;
  const training = selected.includes('training') ? await startScheduledTraining(config, production, logger) : null;
  const stopLagPoll = pollConsumerLag(production.log, [
    ...processorLagSources(pipeline, only),
    ...(sink ? [sink.lagSource] : []),
    ...(webhooks ? webhooks.lagSources : []),
  ]);
  const metrics = await serveMetrics(config.metricsHost, config.metricsPort);
  logger.info({ processors: selected, brokers: config.kafkaBrokers, pid: process.pid, metrics: `http://${config.metricsHost}:${(metrics.address() as AddressInfo).port}/metrics` }, 'processors started');

  const poll = only.includes('scoring')
    ? setInterval(() => refreshChampion(registry, pipeline, logger).catch((err) => logger.warn({ err }, 'model registry unreadable')), config.modelPollMs)
    : null;
  let stopping = false;
  shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping: finishing the batch in hand');
    if (poll) clearInterval(poll);
    stopLagPoll();
    metrics.close();
    await pipeline.stop();
    await sink?.stop();
    await webhooks?.stop();
    await training?.stop();
    await production.close();
    logger.info({ stats: pipeline.stats() }, 'stopped');
  };
  if (signalled) await shutdown(signalled);
}
