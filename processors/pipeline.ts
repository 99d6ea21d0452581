/**
 * The three stream processors wired to whatever adapters are given: the embedded demo and
 * production run this same code, only the ports differ.
 */
import type { CustomerValueModel } from '../core/customer-value-model.js';
import type { EventCodec } from '../core/ports/event-codec.js';
import type { EventLog } from '../core/ports/event-log.js';
import type { PartitionEpochs } from '../core/ports/partition-epochs.js';
import type { StateStore } from '../core/ports/state-store.js';
import { topicSpecs } from '../core/topics.js';
import type { ValidationRules } from '../core/event-validation.js';
import { featuresProcessor } from './features/features-processor.js';
import type { CustomerPurchaseHistory } from './features/customer-purchase-history.js';
import type { OrderLedger } from './purchases/purchase-joiner.js';
import { purchasesProcessor } from './purchases/purchases-processor.js';
import type { Output } from './keyed-processor.js';
import { ProcessorRunner, type BatchSummary, type ProcessorStats } from './run-keyed-processor.js';
import { scoreCustomer, type CustomerScoreState, type ScoringSettings } from './scoring/customer-scorer.js';
import { scoreOutputs, scoringProcessor } from './scoring/scoring-processor.js';
import { batchPredictions } from './scoring/batch-predictions.js';
import type { CustomerFeaturesEvent } from '../core/events.js';
import { sameRecommendation } from '../core/recommendations/recommend-action.js';

export interface PipelineStores {
  ledgers: StateStore<OrderLedger>;
  histories: StateStore<CustomerPurchaseHistory>;
  scores: StateStore<CustomerScoreState>;
}

export interface PipelineOptions {
  log: EventLog;
  codec: EventCodec;
  stores: PipelineStores;
  /** Fencing epochs (production, where several instances may run); the embedded default has none. */
  epochs?: PartitionEpochs;
  validation: ValidationRules;
  scoring: ScoringSettings;
  partitions: number;
  batchSize: number;
  /** Told about every batch of every processor (metrics). */
  observe?: (summary: BatchSummary) => void;
  /**
   * What scores customers until a champion is loaded (the RFM rules); without one, scoring
   * only keeps the features until the first model.
   */
  fallbackModel?: CustomerValueModel;
}

export interface RescoreOptions {
  /** Score as of this time; absent: each customer's own last as-of (a model swap without moving time). */
  asOfMs?: number;
  /** Only customers whose last score is older than this (or who were never scored): the decay sweep. */
  staleBeforeMs?: number;
  /** Customers per page read, scored, published and written before the next is read (memory bound). */
  pageSize?: number;
  onProgress?: (progress: RescoreSummary) => void;
}

export interface RescoreSummary {
  /** Customers read from the store. */
  scanned: number;
  /** Customers scored again (and their state written). */
  rescored: number;
  /** Scores published: only those whose segment, CLV or recommended action changed. */
  published: number;
  segmentChanges: number;
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
    const { log, codec, stores, epochs, validation, scoring, observe } = options;
    this.purchases = new ProcessorRunner(purchasesProcessor(validation), { log, codec, store: stores.ledgers, epochs, observe }) as ProcessorRunner<OrderLedger, unknown>;
    this.features = new ProcessorRunner(featuresProcessor(scoring.dayOf), { log, codec, store: stores.histories, epochs, observe }) as ProcessorRunner<CustomerPurchaseHistory, unknown>;
    this.scoring = new ProcessorRunner(scoringProcessor({ current: () => this.currentModel() }, scoring), { log, codec, store: stores.scores, epochs, observe }) as ProcessorRunner<CustomerScoreState, unknown>;
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

  /** The model scoring uses now: the champion, else the fallback rules, else null. */
  currentModel(): CustomerValueModel | null {
    return this.model ?? this.options.fallbackModel ?? null;
  }

  /** The trained champion, null until one is loaded (the fallback does not count). */
  championModel(): CustomerValueModel | null {
    return this.model;
  }

  /**
   * "Now" in event time: the latest event time any processor has accepted. An embedded replay
   * of 1997 data must decay scores as of 1997, not as of the wall clock.
   */
  eventTimeNowMs(): number {
    return Math.max(...this.runners.map((r) => r.watermarkMs));
  }

  /**
   * The latest data time the scores know: the latest event time any score was derived from,
   * or a sweep's as-of. Read from the score store, so the training process — which runs no
   * processor — sees the same "now" as the scoring processors; null before any score.
   */
  async dataTimeMs(pageSize = 5000): Promise<number | null> {
    let latest = -Infinity;
    for await (const page of this.options.stores.scores.scan(pageSize)) {
      for (const [, s] of page) latest = Math.max(latest, s.features.event_time, s.asOfMs ?? -Infinity);
    }
    return latest === -Infinity ? null : latest;
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
   * decay sweep). Returns how many were scored; see `rescore`.
   */
  async rescoreAll(asOfMs: number, onProgress?: (scored: number) => void): Promise<number> {
    const summary = await this.rescore({ asOfMs, onProgress: onProgress && ((p) => onProgress(p.scanned)) });
    return summary.rescored;
  }

  /**
   * Re-scores customers with the current model, a page at a time: read a page of score states,
   * score it, publish, write, then read the next — memory is bounded by the page, not by the
   * number of customers. Publishes a score (and a segment change) only for customers whose
   * segment or CLV moved: after a retrain or a sweep most customers stay put, and downstream
   * systems should hear only about those that did.
   *
   * A scoring processor in another process may update a customer while its page is in hand:
   * each page is read again just before it is written and a customer whose features or score
   * changed meanwhile is left to the processor (its newer state wins). The window left is one
   * page's write; the next sweep repairs it. The write carries no write version: it keeps the
   * version the scoring processor's owner wrote, so it neither fences that owner out nor is
   * fenced out by it.
   */
  async rescore(options: RescoreOptions = {}): Promise<RescoreSummary> {
    const model = this.currentModel();
    const summary: RescoreSummary = { scanned: 0, rescored: 0, published: 0, segmentChanges: 0 };
    if (model === null) return summary;
    const { stores, scoring } = this.options;
    const { asOfMs, staleBeforeMs, pageSize = 5000, onProgress } = options;
    for await (const page of stores.scores.scan(pageSize)) {
      summary.scanned += page.length;
      // A customer with no active order (features with no purchase days) has no score to redo.
      const scorable = page.filter(([, s]) => s.features.purchase_days > 0);
      const candidates = staleBeforeMs === undefined ? scorable : scorable.filter(([, s]) => (s.asOfMs ?? -Infinity) < staleBeforeMs);
      if (candidates.length > 0) {
        const updated = new Map<string, CustomerScoreState>();
        const outputs: Output[] = [];
        const current = await stores.scores.getMany(candidates.map(([key]) => key));
        const due: Array<{ key: string; state: CustomerScoreState; features: CustomerFeaturesEvent; asOfMs: number }> = [];
        for (const [key, state] of candidates) {
          const now = current.get(key);
          if (now === undefined || now.features.event_id !== state.features.event_id || now.asOfMs !== state.asOfMs) continue;
          // Never back in time: a re-score as of a training as-of earlier than a customer's
          // latest score would date the new score before what the customer has done since
          // (and the analyst view, latest by as-of, would keep the older model's score).
          const at = Math.max(asOfMs ?? -Infinity, state.asOfMs ?? -Infinity, state.features.event_time, state.features.last_purchase_time);
          due.push({ key, state, features: state.features, asOfMs: at });
        }
        // A batch model (the LSTM) predicts the page in one call; the others score one by one.
        const predictions = await batchPredictions(model, due, scoring);
        for (let i = 0; i < due.length; i++) {
          const { key, state, asOfMs: at } = due[i];
          const result = scoreCustomer(state, state.features, at, model, scoring, predictions?.[i]);
          // Remembered, so a later event of the customer dated before it keeps this as-of; only
          // the re-score's own as-of (the sweep's), not the customer's, which the features may
          // still move back (their latest active order voided).
          if (asOfMs !== undefined && asOfMs > (result.state.sweptToMs ?? -Infinity)) result.state.sweptToMs = asOfMs;
          // A new model's category statistics can change what marketing is asked to do without
          // moving CLV or segment; and a new model version is published even where the numbers
          // agree, so every store downstream (ClickHouse, CRM) says which model scored the customer.
          if (result.state.segment !== state.segment || result.state.clvMinor !== state.clvMinor || result.state.modelVersion !== state.modelVersion
            || !sameRecommendation(result.state.recommendation, state.recommendation)) {
            outputs.push(...scoreOutputs(result));
            summary.published++;
            if (result.change) summary.segmentChanges++;
          } else {
            // Not published: the sequence stays the last published score's.
            result.state.sequence = state.sequence;
          }
          updated.set(key, result.state);
        }
        // Publish before writing: a crash in between re-publishes on the next run (scores are
        // compacted by customer, changes carry event ids) instead of losing a change.
        await this.scoring.emit(outputs);
        await stores.scores.setMany(updated);
        summary.rescored += updated.size;
      }
      onProgress?.({ ...summary });
    }
    return summary;
  }

  stats(): Record<string, ProcessorStats> {
    return Object.fromEntries(this.runners.map((r) => [r.processor.name, r.stats]));
  }
}
