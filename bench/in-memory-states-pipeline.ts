/**
 * The production pipeline (Kafka, the schema registry) with its three state stores in this
 * process's memory, as objects: no Redis, no state codec, no fencing. `npm run bench:stack`
 * with BENCH_STACK_STATES=memory runs it in place of the Redis one, to say what the state
 * store costs on the real stack and what the pipeline costs without any.
 */
import type { Logger } from 'pino';
import { productionLog } from '../app/production.js';
import { streamPipeline } from '../app/stream-pipeline.js';
import type { Config } from '../config/config.js';
import type { EventLog } from '../core/ports/event-log.js';
import type { StateStore } from '../core/ports/state-store.js';
import type { PipelineStores } from '../processors/pipeline.js';
import { objectStateStores } from './object-state-stores.js';

export async function inMemoryStatesPipeline(config: Readonly<Config>, logger: Logger, observe?: (log: EventLog) => EventLog) {
  const { log, codec } = await productionLog(config, logger);
  const pipeline = streamPipeline(config, { log, codec, stores: objectStateStores() }, { observe });
  return {
    log,
    codec,
    pipeline,
    async close() {
      await log.close();
    },
  };
}

/**
 * Deletes every state of `stores`, so that the bare baseline, run next in this process, does
 * not mark them. Held, they cost the bare hops 79–86 µs of CPU per event against 62–69 after a
 * Redis run (scratch, 2026-12-07); deleted, the bench still measured 71–92 against 70–78, so
 * the in-memory runs' ratios stay somewhat flattered.
 */
export async function dropStates(stores: PipelineStores): Promise<void> {
  const all: Array<StateStore<unknown>> = [stores.ledgers, stores.histories, stores.scores] as Array<StateStore<unknown>>;
  for (const store of all) {
    for await (const page of store.scan(10_000)) await store.deleteMany(page.map(([key]) => key));
  }
}
