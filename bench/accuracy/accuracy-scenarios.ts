/**
 * The shops of the accuracy benchmark (`npm run bench:accuracy`): real CDNOW data at several
 * calibration ends, and synthetic shops from the project's generator
 * (producers/synthetic/), each stressing one thing a CLV model meets in the wild. The
 * generator's truth is the holdout: what each customer really bought after the calibration
 * end. Nothing in the models is tuned to any of them.
 */
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { dayIndexOfDate } from '../../core/calendar.js';
import { purchaseDaysByCustomer, type PurchaseDaysByCustomer } from '../../evaluation/model-evaluation-window.js';
import { FLAT_SEASONALITY } from '../../producers/synthetic/options.js';
import { generateSyntheticHistory } from '../../producers/synthetic/synthetic-history.js';
import type { SyntheticHistoryInput } from '../../producers/synthetic/options.js';

export interface Scenario {
  name: string;
  /** What it stresses, for the README table. */
  stresses: string;
  calibrationEnd: string;
  holdoutEnd: string;
  /** Customer → purchase day → value (minor units), or why the scenario cannot run here. */
  load(dataDir: string): PurchaseDaysByCustomer | { skipped: string };
}

/** No delivery faults or invalid input: the accuracy benches measure the models, not the stream. */
export const QUIET = { duplicateRate: 0, reorderRate: 0, lateRate: 0, invalidRate: 0, poisonRate: 0 };

function synthetic(options: SyntheticHistoryInput) {
  return (): PurchaseDaysByCustomer => {
    const h = generateSyntheticHistory({ customers: 10_000, seed: 11, noise: QUIET, ...options });
    return purchaseDaysByCustomer(h.truth.purchases.map((p) => ({ customerId: p.customerId, day: p.day, amountMinor: p.valueMinor })));
  };
}

/** CDNOW rows: id [sample id] YYYYMMDD CDs dollars; all of a customer's rows on one day are one transaction. */
function cdnow(file: string) {
  return (dataDir: string): PurchaseDaysByCustomer | { skipped: string } => {
    const path = join(dataDir, 'cdnow', file);
    if (!existsSync(path)) return { skipped: `${path} not found (set CLV_DATA_DIR)` };
    const by = new Map<string, Map<number, number>>();
    for (const line of readFileSync(path, 'utf8').split('\n')) {
      const f = line.trim().split(/\s+/);
      if (f.length < 4 || !/^\d+$/.test(f[0])) continue;
      const d = f[f.length - 3];
      const day = dayIndexOfDate(`${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}`);
      const cents = Math.round(Number(f[f.length - 1]) * 100);
      let days = by.get(f[0]);
      if (!days) by.set(f[0], (days = new Map()));
      days.set(day, (days.get(day) ?? 0) + cents);
    }
    return by;
  };
}

/** A Tết-like peak: the weeks before the Lunar New Year fall in late January and early February. */
export const LUNAR_NEW_YEAR_MONTHS = [1.5, 1.45, 0.85, 0.9, 0.9, 0.9, 0.9, 0.95, 0.95, 0.95, 0.95, 0.9];

export const SCENARIOS: readonly Scenario[] = [
  { name: 'cdnow-master-1997-09', stresses: 'real data; a closed cohort dying out; 9 months of calibration (the papers\' split)', calibrationEnd: '1997-09-30', holdoutEnd: '1998-06-30', load: cdnow('CDNOW_master.txt') },
  { name: 'cdnow-master-1997-12', stresses: 'real data; a later calibration end, a 6-month holdout', calibrationEnd: '1997-12-31', holdoutEnd: '1998-06-30', load: cdnow('CDNOW_master.txt') },
  { name: 'cdnow-sample-1997-09', stresses: 'real data; 2,357 customers only', calibrationEnd: '1997-09-30', holdoutEnd: '1998-06-30', load: cdnow('CDNOW_sample.txt') },
  { name: 'demo-shop', stresses: 'the demo\'s shop: retail season, growing acquisition, 18 months of calibration', calibrationEnd: '2024-06-30', holdoutEnd: '2025-06-30', load: synthetic({ start: '2023-01-01', end: '2025-06-30' }) },
  { name: 'december-peak', stresses: 'a Nov–Dec peak, the calibration ending on it', calibrationEnd: '2023-12-31', holdoutEnd: '2024-12-31', load: synthetic({ start: '2022-01-01', end: '2024-12-31' }) },
  { name: 'lunar-new-year-peak', stresses: 'a Jan–Feb peak (the weeks before Tết) right after the calibration end', calibrationEnd: '2023-12-31', holdoutEnd: '2024-12-31', load: synthetic({ start: '2022-01-01', end: '2024-12-31', seasonality: { monthWeights: LUNAR_NEW_YEAR_MONTHS, blackFridayBoost: 1 } }) },
  { name: 'no-season', stresses: 'no seasonality at all: the seasonal model must do no harm', calibrationEnd: '2023-12-31', holdoutEnd: '2024-12-31', load: synthetic({ start: '2022-01-01', end: '2024-12-31', seasonality: FLAT_SEASONALITY }) },
  { name: 'acquired-throughout', stresses: 'customers acquired over the whole history, 4× faster at the end; calibration ending mid-year', calibrationEnd: '2024-06-30', holdoutEnd: '2025-06-30', load: synthetic({ start: '2022-07-01', end: '2025-06-30', acquisition: { growth: 4, cohortVariation: 0.35 } }) },
  { name: 'one-time-buyers', stresses: 'mostly one-time buyers: low purchase rates, quick dropout', calibrationEnd: '2023-12-31', holdoutEnd: '2024-12-31', load: synthetic({ start: '2022-01-01', end: '2024-12-31', bgnbd: { r: 0.15, alpha: 12, a: 2.5, b: 1.5 } }) },
  { name: 'long-history', stresses: 'five years of calibration, a retail season', calibrationEnd: '2023-12-31', holdoutEnd: '2024-12-31', load: synthetic({ start: '2019-01-01', end: '2024-12-31' }) },
  { name: 'heavy-tailed-spend', stresses: 'heavy-tailed order values (Gamma-Gamma q close to 1: a few whales)', calibrationEnd: '2023-12-31', holdoutEnd: '2024-12-31', load: synthetic({ start: '2022-01-01', end: '2024-12-31', gammaGamma: { p: 1.5, q: 1.6, gamma: 8 } }) },
];
