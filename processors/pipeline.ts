/**
 * The three stream processors wired to whatever adapters are given: the embedded demo and
 * production run this same code, only the ports differ.
 */
import type { EventCodec } from '../core/ports/event-codec.js';
import type { EventLog } from '../core/ports/event-log.js';
import type { StateStore } from '../core/ports/state-store.js';
import { topicSpecs } from '../core/topics.js';
import type { ValidationRules } from '../core/event-validation.js';
import { featuresProcessor } from './features/features-processor.js';
import type { CustomerPurchaseHistory } from './features/customer-purchase-history.js';
import type { OrderLedger } from './purchases/purchase-joiner.js';
import { purchasesProcessor } from './purchases/purchases-processor.js';
import type { Output } from './keyed-processor.js';
import { ProcessorRunner, type BatchSummary, type ProcessorStats } from './run-keyed-processor.js';
import { scoreCustomer, type CustomerScoreState, type CustomerValueModel, type ScoringSettings } from './scoring/customer-scorer.js';
import { scoreOutputs, scoringProcessor } from './scoring/scoring-processor.js';

export interface PipelineStores {
  ledgers: StateStore<OrderLedger>;
  histories: StateStore<CustomerPurchaseHistory>;
  scores: StateStore<CustomerScoreState>;
}

export interface PipelineOptions {
  log: EventLog;
  codec: EventCodec;
  stores: PipelineStores;
  validation: ValidationRules;
  scoring: ScoringSettings;
  partitions: number;
  batchSize: number;
  /** Told about every batch of every processor (metrics). */
  observe?: (summary: BatchSummary) => void;
}

export const ProcessorNames = ['purchases', 'features', 'scoring'] as const;
export type ProcessorName = (typeof ProcessorNames)[number];
const processorNameOf = (runner: { processor: { name: string } }) => runner.processor.name.replace(/^clv-/, '') as ProcessorName;

export class Pipeline {
  private model: CustomerValueModel | null = null;
  readonly purchases: ProcessorRunner<OrderLedger, unknown>;
  readonly features: ProcessorRunner<CustomerPurchaseHistory, unknown>;
  readonly scoring: ProcessorRunner<CustomerScoreState, unknown>;

  constructor(private readonly options: PipelineOptions) {
    const { log, codec, stores, validation, scoring, observe } = options;
    this.purchases = new ProcessorRunner(purchasesProcessor(validation), { log, codec, store: stores.ledgers, observe }) as ProcessorRunner<OrderLedger, unknown>;
    this.features = new ProcessorRunner(featuresProcessor(scoring.dayOf), { log, codec, store: stores.histories, observe }) as ProcessorRunner<CustomerPurchaseHistory, unknown>;
    this.scoring = new ProcessorRunner(scoringProcessor({ current: () => this.model }, scoring), { log, codec, store: stores.scores, observe }) as ProcessorRunner<CustomerScoreState, unknown>;
  }

  get stores(): PipelineStores {
    return this.options.stores;
  }

  get runners() {
    return [this.purchases, this.features, this.scoring];
  }

  /** Starts the named processors (default all); `clv run features` runs one per process. */
  async start(only?: readonly ProcessorName[]): Promise<void> {
    await this.options.log.createTopics(topicSpecs(this.options.partitions));
    for (const runner of this.runners) {
      if (!only || only.includes(processorNameOf(runner))) await runner.start({ maxBatchSize: this.options.batchSize });
    }
  }

  async stop(): Promise<void> {
    for (const runner of this.runners) await runner.stop();
  }

  /** The champion model that scoring uses from now on. */
  useModel(model: CustomerValueModel): void {
    this.model = model;
  }

  currentModel(): CustomerValueModel | null {
    return this.model;
  }

  /** Resolves once every processor has committed everything in its input topics. */
  async waitUntilIdle(pollMs = 20): Promise<void> {
    for (;;) {
      let lag = 0;
      for (const { processor } of this.runners) lag += await this.options.log.lag(processor.name, [...processor.inputTopics]);
      if (lag === 0) return;
      await new Promise((r) => setTimeout(r, pollMs));
    }
  }

  /**
   * Re-scores every customer as of `asOfMs` with the current model (after a retrain, or as a
   * decay sweep) and publishes the scores and segment changes. Returns how many were scored.
   */
  async rescoreAll(asOfMs: number, onProgress?: (scored: number) => void): Promise<number> {
    const model = this.model;
    if (model === null) return 0;
    const { stores, scoring } = this.options;
    let scored = 0;
    for await (const page of stores.scores.scan(5000)) {
      const updated = new Map<string, CustomerScoreState>();
      const outputs: Output[] = [];
      for (const [key, state] of page) {
        const result = scoreCustomer(state, state.features, Math.max(asOfMs, state.features.last_purchase_time), model, scoring);
        updated.set(key, result.state);
        outputs.push(...scoreOutputs(result));
      }
      await this.scoring.emit(outputs);
      await stores.scores.setMany(updated);
      scored += page.length;
      onProgress?.(scored);
    }
    return scored;
  }

  stats(): Record<string, ProcessorStats> {
    return Object.fromEntries(this.runners.map((r) => [r.processor.name, r.stats]));
  }
}
