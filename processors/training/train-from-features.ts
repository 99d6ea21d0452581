/**
 * Training on what the stream has built: every customer's latest features (kept by the
 * scoring processor) summarised as of `asOfMs`, fitted, then registered.
 */
import type { DayIndexer } from '../../core/calendar.js';
import type { ModelRegistry } from '../../core/ports/model-registry.js';
import type { StateStore } from '../../core/ports/state-store.js';
import type { ModelInput } from '../../core/repeat-purchase-summary.js';
import { modelInputOf, type CustomerScoreState } from '../scoring/customer-scorer.js';
import type { BgNbdGammaGammaModel } from './bgnbd-gamma-gamma-model.js';
import { trainCustomerValueModel, type TrainingSettings } from './train-customer-value-model.js';

/** Customer ids and model inputs as of `asOfMs`, from the scoring state. */
export async function modelInputsAsOf(
  scores: StateStore<CustomerScoreState>,
  asOfMs: number,
  periodDays: number,
  dayOf: DayIndexer,
  minorPerUnit: number,
): Promise<{ ids: string[]; inputs: ModelInput[] }> {
  const ids: string[] = [];
  const inputs: ModelInput[] = [];
  for await (const page of scores.scan(10_000)) {
    for (const [id, s] of page) {
      // A customer whose first purchase is after the as-of time did not exist then.
      if (s.features.first_purchase_time > asOfMs) continue;
      ids.push(id);
      inputs.push(modelInputOf(s.features, asOfMs, periodDays, dayOf, minorPerUnit));
    }
  }
  return { ids, inputs };
}

export async function trainAndRegister(
  inputs: readonly ModelInput[],
  settings: TrainingSettings,
  registry: ModelRegistry,
  details: Record<string, unknown>,
): Promise<{ model: BgNbdGammaGammaModel; trainingMs: number }> {
  const started = performance.now();
  const model = trainCustomerValueModel(inputs, settings);
  const trainingMs = performance.now() - started;
  await registry.register(
    { version: settings.version, kind: 'bgnbd-gamma-gamma', registeredAt: new Date().toISOString(), details: { ...details, customers: inputs.length, trainingMs, ...model.metricsJson() } },
    model.toJSON(),
  );
  return { model, trainingMs };
}
