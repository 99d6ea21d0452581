/**
 * What a processor is, independent of any log or store: pure functions over per-key state.
 * A runner (run-keyed-processor.ts) owns decode → process → write → commit around it.
 */
import type { Violation } from '../core/event-validation.js';

export interface Output {
  topic: string;
  key: string;
  value: unknown;
}

/** What the runner tells a processor besides the event itself. */
export interface ProcessingContext {
  /** Highest event_time accepted so far by this processor instance: "now" in event time. */
  watermarkMs: number;
}

/** Applies one event to its key's state (KeyedProcessor.apply). */
export type ApplyEvent<State, Event> = (state: State | undefined, event: Event, context: ProcessingContext) => { state: State | undefined; outputs: Output[] };

export interface KeyedProcessor<State, Event> {
  /** Consumer group id. */
  readonly name: string;
  readonly inputTopics: readonly string[];
  /** Checks a decoded value of `topic`; a violation sends the message to the dead-letter topic. */
  accept(topic: string, value: unknown): { event: Event } | { violation: Violation };
  eventTime(event: Event): number;
  stateKey(event: Event): string;
  /** Applies one event; returns the new state (or the same object when nothing changed). */
  apply(state: State | undefined, event: Event, context: ProcessingContext): { state: State | undefined; outputs: Output[] };
  /**
   * Work done once for a whole batch before any of its events is applied — the scoring
   * processor's model inference, one tensor per batch — returning the apply to use for this
   * batch (null: the plain `apply`). Gets the accepted events in order with their keys and
   * the states as loaded. An error fails the batch before anything is applied (retried).
   */
  prepareBatch?(events: ReadonlyArray<{ key: string; event: Event }>, states: ReadonlyMap<string, State>, context: ProcessingContext): Promise<ApplyEvent<State, Event> | null>;
  /** Outputs for the states the batch changed, coalesced per key (e.g. one feature update per customer). */
  afterBatch?(changed: ReadonlyMap<string, State>, context: ProcessingContext): Output[];
}
