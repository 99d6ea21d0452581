/**
 * Whether the data can support a training run at all. BG/NBD learns the purchase process
 * from repeat buyers and Gamma-Gamma learns spend only from them, so a handful of customers,
 * of repeat buyers or of days gives parameters that mean nothing; refusing with the number
 * that fell short is more useful than a model that scores everyone alike.
 */
import { ClvError, ErrorCodes } from '../core/errors.js';
import type { TrainingDataFigures } from './training-data.js';

export interface ReadinessThresholds {
  /** CLV_MIN_TRAINING_CUSTOMERS */
  minCustomers: number;
  /** CLV_MIN_REPEAT_CUSTOMERS */
  minRepeatCustomers: number;
  /** CLV_MIN_HISTORY_DAYS */
  minHistoryDays: number;
}

/** @throws ClvError INSUFFICIENT_DATA naming the first setting the data falls short of and the measured value. */
export function assertTrainingReady(figures: TrainingDataFigures, t: ReadinessThresholds): void {
  const shortfall = readinessShortfall(figures, t);
  if (shortfall !== null) throw new ClvError(ErrorCodes.INSUFFICIENT_DATA, `not enough data to train: ${shortfall}`);
}

/** The first unmet threshold as a sentence, or null when training may go ahead. */
export function readinessShortfall(f: TrainingDataFigures, t: ReadinessThresholds): string | null {
  if (f.historyDays < t.minHistoryDays) return `${f.historyDays} days of history, CLV_MIN_HISTORY_DAYS is ${t.minHistoryDays}`;
  if (f.customers < t.minCustomers) return `${f.customers} customers before the holdout, CLV_MIN_TRAINING_CUSTOMERS is ${t.minCustomers}`;
  if (f.repeatCustomers < t.minRepeatCustomers) return `${f.repeatCustomers} repeat customers before the holdout, CLV_MIN_REPEAT_CUSTOMERS is ${t.minRepeatCustomers}`;
  return null;
}
