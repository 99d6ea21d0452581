/** An embedded pipeline for tests: in-memory log and stores, a given model. */
import { AvroCodec } from '../../adapters/avro/avro-codec.js';
import { InMemoryEventLog } from '../../adapters/in-memory/in-memory-event-log.js';
import { InMemoryStateStore } from '../../adapters/in-memory/in-memory-state-store.js';
import { parseActionPolicy } from '../../core/action-policy.js';
import { dayIndexer } from '../../core/calendar.js';
import type { StateStore } from '../../core/ports/state-store.js';
import { Pipeline, type PipelineStores } from '../../processors/pipeline.js';
import type { CustomerValueModel } from '../../core/customer-value-model.js';
import { readFileSync } from 'node:fs';

export const defaultPolicy = parseActionPolicy(JSON.parse(readFileSync(new URL('../../config/action-policy.json', import.meta.url), 'utf8')), 'default');

/** A transparent model for pipeline tests: CLV = $10 per repeat purchase. */
export const linearModel: CustomerValueModel = {
  kind: 'test-linear',
  version: 'test-linear',
  periodDays: 7,
  horizonDays: 365,
  thresholds: { highClvMinor: 3000, mediumClvMinor: 1000, atRiskPAlive: 0.5, lostPAlive: 0.2, newCustomerDays: 0, oneTimeBuyerAtRiskDays: null, oneTimeBuyerLostDays: null },
  predict: (input) => ({ pAlive: 0.9, expectedPurchases: input.frequency, expectedAvgValue: 10, clv: 10 * input.frequency }),
};

export function embeddedPipeline(overrides: Partial<PipelineStores> = {}) {
  const log = new InMemoryEventLog({ maxBackoffMs: 20 });
  const codec = new AvroCodec();
  const stores: PipelineStores = {
    ledgers: overrides.ledgers ?? new InMemoryStateStore(),
    histories: overrides.histories ?? new InMemoryStateStore(),
    scores: overrides.scores ?? new InMemoryStateStore(),
  };
  const pipeline = new Pipeline({
    log, codec, stores,
    validation: { currency: 'USD', maxFutureSkewMs: 86_400_000, now: Date.now },
    scoring: { dayOf: dayIndexer('UTC'), policy: defaultPolicy, hysteresis: 0.1, minorPerUnit: 100 },
    partitions: 4,
    batchSize: 50,
  });
  return { log, codec, stores, pipeline };
}

/** A store whose writes fail `times` times: a crash between publishing and saving. */
export class FlakyStore<T> implements StateStore<T> {
  constructor(private readonly inner: StateStore<T>, public failuresLeft: number) {}
  getMany(keys: readonly string[]) { return this.inner.getMany(keys); }
  async setMany(entries: ReadonlyMap<string, T>) {
    if (this.failuresLeft-- > 0) throw new Error('simulated crash before the state was saved');
    return this.inner.setMany(entries);
  }
  scan(pageSize: number) { return this.inner.scan(pageSize); }
  scanPrefix(prefix: string, pageSize: number) { return this.inner.scanPrefix(prefix, pageSize); }
  deleteMany(keys: readonly string[]) { return this.inner.deleteMany(keys); }
  size() { return this.inner.size(); }
}
