/** Model figures on CDNOW_master: BG/NBD + Gamma-Gamma fit time and scoring throughput. */
import { existsSync } from 'node:fs';
import { dayIndexer, dayIndexOfDate } from '../core/calendar.js';
import { readTransactionFile } from '../producers/transaction-file.js';
import { splitAtCalibrationEnd } from '../processors/training/calibration-split.js';
import { loadConfig } from '../core/config.js';
import { trainCustomerValueModel, trainingSettingsFrom } from '../processors/training/train-customer-value-model.js';

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
  const rounds = Math.ceil(2_000_000 / inputs.length);
  let checksum = 0;
  const t = performance.now();
  for (let r = 0; r < rounds; r++) for (const input of inputs) checksum += model.predict(input).clv;
  const scoreMs = performance.now() - t;
  fitMs.sort((a, b) => a - b);
  return {
    customers: inputs.length,
    fitMsMedian: fitMs[Math.floor(fitMs.length / 2)],
    fitMsAll: fitMs,
    params: model.metricsJson(),
    scoring: { customers: rounds * inputs.length, ms: scoreMs, customersPerSecond: (rounds * inputs.length) / (scoreMs / 1000), checksum },
  };
}
