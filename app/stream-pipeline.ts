/**
 * The stream processors over a given log, codec and stores: the one place the pipeline is
 * put together, for the embedded default and production alike (only the adapters differ).
 */
import type { Logger } from 'pino';
import { loadPolicy } from '../config/action-policy-file.js';
import type { Config } from '../config/config.js';
import { dayIndexer } from '../core/calendar.js';
import type { EventCodec } from '../core/ports/event-codec.js';
import type { EventLog } from '../core/ports/event-log.js';
import type { PartitionEpochs } from '../core/ports/partition-epochs.js';
import { rfmRuleModelFrom } from '../models/kinds/rfm-rule-model.js';
import { prometheusObserver } from '../metrics/prometheus-observer.js';
import { Pipeline, type PipelineStores } from '../processors/pipeline.js';
import type { ScoringSettings } from '../processors/scoring/customer-scorer.js';

export interface PipelineAdapters {
  log: EventLog;
  codec: EventCodec;
  stores: PipelineStores;
  /** Fencing epochs: wherever more than one instance of a processor may run. */
  epochs?: PartitionEpochs;
}

/** Scoring settings of the validated config: the day calendar, the action policy file, hysteresis. */
export function scoringSettingsFrom(config: Readonly<Config>): ScoringSettings {
  return { dayOf: dayIndexer(config.timeZone), policy: loadPolicy(config.policyFile), hysteresis: config.segmentHysteresis, minorPerUnit: config.minorPerUnit };
}

/** `observe` may wrap the log the processors see (the benches measure latency that way). */
export function streamPipeline(config: Readonly<Config>, adapters: PipelineAdapters, options: { observe?: (log: EventLog) => EventLog; scoring?: ScoringSettings; logger?: Logger } = {}): Pipeline {
  const pipeline: Pipeline = new Pipeline({
    log: options.observe ? options.observe(adapters.log) : adapters.log,
    codec: adapters.codec,
    stores: adapters.stores,
    epochs: adapters.epochs,
    validation: { currency: config.currency, maxFutureSkewMs: config.maxFutureSkewMs, now: Date.now },
    scoring: options.scoring ?? scoringSettingsFrom(config),
    partitions: config.partitions,
    batchSize: config.batchSize,
    observe: prometheusObserver(() => pipeline.currentModel()?.version ?? null),
    // Customers get scores and segments from the first event; the first champion replaces the rules.
    fallbackModel: rfmRuleModelFrom(config),
  });
  return pipeline;
}
