/** Model figures on CDNOW_master: BG/NBD + Gamma-Gamma fit time and scoring throughput. */
import { existsSync } from 'node:fs';
import { dayIndexer, dayIndexOfDate } from '../core/calendar.js';
import { readTransactionFile } from '../producers/transaction-file.js';
import { splitAtCalibrationEnd } from '../evaluation/calibration-split.js';
import { loadConfig } from '../config/config.js';
import type { ModelInput } from '../core/repeat-purchase-summary.js';
import { BgNbdGammaGammaModel } from '../models/kinds/bgnbd-gamma-gamma-model.js';
import { trainCustomerValueModel, trainingSettingsFrom } from '../models/kinds/train-customer-value-model.js';

export function modelBench(cdnowMaster: string, repeats: number) {
  if (!existsSync(cdnowMaster)) return { skipped: `CDNOW master not found at ${cdnowMaster}` } as const;
  const transactions = readTransactionFile(cdnowMaster, { format: 'cdnow', minorPerUnit: 100, dayOf: dayIndexer('UTC') });
  const { inputs } = splitAtCalibrationEnd(transactions, dayIndexOfDate('1997-09-30'), dayIndexOfDate('1998-06-30'), 7, 100);
  const settings = trainingSettingsFrom(loadConfig({}), 'bench');
  const fitMs: number[] = [];
  let model = trainCustomerValueModel(inputs, settings);
  for (let i = 0; i < repeats; i++) {
    const t = performance.now();
    model = trainCustomerValueModel(inputs, settings);
    fitMs.push(performance.now() - t);
  }
  // Scoring: the full CLV (12 discounted months) per customer, as the scoring processor does.
  // Cold: a fresh model per pass, so its per-(x, T) cache starts empty (a re-score after a
  // retrain); warm: the same model again (the streaming case, where (x, T) pairs repeat).
  const cold = timeScoring(() => BgNbdGammaGammaModel.fromJSON(model.toJSON()), inputs, 5);
  const warm = timeScoring(() => model, inputs, Math.ceil(2_000_000 / inputs.length));
  fitMs.sort((a, b) => a - b);
  return {
    customers: inputs.length,
    fitMsMedian: fitMs[Math.floor(fitMs.length / 2)],
    fitMsAll: fitMs,
    params: model.metricsJson(),
    scoring: { cold, warm },
  };
}

function timeScoring(modelFor: () => BgNbdGammaGammaModel, inputs: readonly ModelInput[], passes: number) {
  let ms = 0;
  let checksum = 0;
  for (let pass = 0; pass < passes; pass++) {
    const m = modelFor();
    const t = performance.now();
    for (const input of inputs) checksum += m.predict(input).clv;
    ms += performance.now() - t;
  }
  const customers = passes * inputs.length;
  return { customers, ms, customersPerSecond: customers / (ms / 1000), checksum };
}
