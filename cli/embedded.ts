/** The embedded default: in-process log and stores, same processors as production. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AvroCodec } from '../adapters/avro-codec.js';
import { projectRoot } from '../adapters/schema-files.js';
import { InMemoryEventLog } from '../adapters/in-memory-event-log.js';
import { InMemoryStateStore } from '../adapters/in-memory-state-store.js';
import { parseActionPolicy, type ActionPolicy } from '../core/action-policy.js';
import { dayIndexer } from '../core/calendar.js';
import type { Config } from '../core/config.js';
import { ClvError, ErrorCodes } from '../core/errors.js';
import { InMemoryClvReadModel } from '../adapters/in-memory-clv-read-model.js';
import { Pipeline } from '../processors/pipeline.js';
import { rfmRuleModelFrom } from '../processors/scoring/rfm-rule-model.js';
import { prometheusObserver } from './prometheus-observer.js';
import type { Logger } from 'pino';
import type { EventLog } from '../core/ports/event-log.js';

export function loadPolicy(file: string | null): ActionPolicy {
  const path = file ?? join(projectRoot(), 'config', 'action-policy.json');
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(path, 'utf8'));
  } catch (cause) {
    throw new ClvError(ErrorCodes.INVALID_POLICY, `action policy ${String(path)}: ${(cause as Error).message}`, { cause });
  }
  return parseActionPolicy(doc, file ?? 'config/action-policy.json');
}

/** `observe` may wrap the log the processors see (the bench measures latency that way). */
export function embeddedPipeline(config: Readonly<Config>, logger: Logger, observe: (log: EventLog) => EventLog = (log) => log) {
  const log = new InMemoryEventLog({
    onBatchError: (error, where) => logger.warn({ err: error, ...where }, 'batch failed; redelivering after backoff'),
  });
  const codec = new AvroCodec();
  const scoring = { dayOf: dayIndexer(config.timeZone), policy: loadPolicy(config.policyFile), hysteresis: config.segmentHysteresis, minorPerUnit: config.minorPerUnit };
  // The read model sees every score write through its store, so the API's segment index
  // stays current without scans.
  const readModel: InMemoryClvReadModel = new InMemoryClvReadModel({ scores: new InMemoryStateStore(), currentModel: () => pipeline.currentModel(), scoring });
  const pipeline: Pipeline = new Pipeline({
    log: observe(log),
    codec,
    stores: { ledgers: new InMemoryStateStore(), histories: new InMemoryStateStore(), scores: readModel.scoresStore },
    validation: { currency: config.currency, maxFutureSkewMs: config.maxFutureSkewMs, now: Date.now },
    scoring,
    partitions: config.partitions,
    batchSize: config.batchSize,
    observe: prometheusObserver(() => pipeline.currentModel()?.version ?? null),
    // Customers get scores and segments from the first event; the first champion replaces the rules.
    fallbackModel: rfmRuleModelFrom(config),
  });
  readModel.readRevenueFrom(pipeline.stores.histories);
  return { log, codec, pipeline, readModel, dayOf: scoring.dayOf };
}
