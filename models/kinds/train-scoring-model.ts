/**
 * Trains a scoring model of the kind selection chose (evaluation/model-selection.ts): plain
 * BG/NBD + Gamma-Gamma, its seasonal form, or their ensemble with the backtest's weights.
 * One function for the training run's challenger and its deployed refit, so both are the
 * same kind fitted the same way.
 */
import type { HolidayCalendar } from '../../core/holidays/holiday-calendar.js';
import type { ModelInput } from '../../core/repeat-purchase-summary.js';
import type { BgNbdGammaGammaModel } from './bgnbd-gamma-gamma-model.js';
import { EnsembleModel } from './ensemble-model.js';
import type { SeasonalBgNbdGammaGammaModel } from './seasonal-bgnbd-gamma-gamma-model.js';
import { establishedClvs, segmentThresholds, trainCustomerValueModel, type TrainingSettings } from './train-customer-value-model.js';
import { trainSeasonalModel, type DailyRepeatPurchases } from './train-seasonal-model.js';

/** A model training can deploy. */
export type ScoringModel = BgNbdGammaGammaModel | SeasonalBgNbdGammaGammaModel | EnsembleModel;

/** What selection may choose for scoring, by its evaluation name. */
export type ScoringChoice = { model: 'bgnbd' } | { model: 'seasonal' } | { model: 'ensemble'; weights: Readonly<Record<string, number>> };

export interface ScoringTrainingData {
  inputs: readonly ModelInput[];
  /** The shop's daily repeat purchases up to the same as-of (the seasonal kind's intensity). */
  repeats: DailyRepeatPurchases;
}

/** @throws ClvError INSUFFICIENT_DATA when the data cannot identify the model. */
export async function trainScoringModel(choice: ScoringChoice, data: ScoringTrainingData, s: TrainingSettings, holidays?: HolidayCalendar): Promise<ScoringModel> {
  switch (choice.model) {
    case 'bgnbd':
      return trainCustomerValueModel(data.inputs, s);
    case 'seasonal':
      return trainSeasonalModel(data.inputs, data.repeats, s, holidays);
    case 'ensemble': {
      const members = [];
      for (const [name, weight] of Object.entries(choice.weights)) {
        if (!(weight > 0)) continue;
        if (name !== 'bgnbd' && name !== 'seasonal') throw new RangeError(`ensemble member ${name} cannot score events`);
        members.push({ name, weight, model: (await trainScoringModel({ model: name }, data, { ...s, version: `${s.version}-${name}` }, holidays)) as BgNbdGammaGammaModel | SeasonalBgNbdGammaGammaModel });
      }
      const provisional = new EnsembleModel(s.version, members, segmentThresholds([], s));
      return provisional.withThresholds(segmentThresholds(establishedClvs(provisional, data.inputs, s), s));
    }
  }
}
