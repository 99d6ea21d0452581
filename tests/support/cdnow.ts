/**
 * Minimal CDNOW reader for model tests (the product's own file parser lives elsewhere).
 * Finds the data under CLV_DATA_DIR or ../shared/data beside the repository, never in it.
 *
 * Convention (Fader, Hardie & Lee 2005; lifetimes' cdnow_customers_summary_with_transactions):
 * all rows of a customer on one calendar day are one transaction whose value is their sum;
 * only days on or before the calibration end count; x = purchase days − 1; t_x and T in
 * periods of `periodDays`; monetary value = mean of the repeat days' totals (first day
 * excluded) — this reproduces the published Gamma-Gamma p = 6.25, q = 3.74, γ = 15.44.
 */

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { dayIndexOfDate } from '../../core/calendar.js';
import { summarizePurchaseDays, toModelInput, type ModelInput } from '../../core/repeat-purchase-summary.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Path of a CDNOW file (`CDNOW_sample.txt` or `CDNOW_master.txt`); it may not exist. */
export function cdnowPath(file: string): string {
  return path.join(process.env.CLV_DATA_DIR ?? path.resolve(repoRoot, '..', 'shared', 'data'), 'cdnow', file);
}

/** Whether the file is there; tests skip with `cdnowSkipMessage` when not. */
export function cdnowAvailable(file: string): boolean {
  return existsSync(cdnowPath(file));
}

export function cdnowSkipMessage(file: string): string {
  return `CDNOW data not found at ${cdnowPath(file)} (set CLV_DATA_DIR)`;
}

/** Customer id → (day index → value of that day in cents). Sample and master layouts both work. */
export function readCdnowDays(file: string): Map<string, Map<number, number>> {
  const customers = new Map<string, Map<number, number>>();
  for (const line of readFileSync(cdnowPath(file), 'utf8').split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 4 || !/^\d+$/.test(f[0])) continue; // header or blank line
    const date = f[f.length - 3];
    const cents = Math.round(Number(f[f.length - 1]) * 100);
    const day = dayIndexOfDate(`${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}`);
    let days = customers.get(f[0]);
    if (days === undefined) customers.set(f[0], (days = new Map()));
    days.set(day, (days.get(day) ?? 0) + cents);
  }
  return customers;
}

/** One customer's calibration summary and holdout outcome. */
export interface CdnowCustomer {
  id: string;
  input: ModelInput;
  /** Purchase days after the calibration end (up to the data's end). */
  holdoutPurchases: number;
  /** Their value, currency units. */
  holdoutValue: number;
}

/** Model inputs as of `calibrationEnd` (YYYY-MM-DD, inclusive), plus holdout actuals. */
export function cdnowCustomers(file: string, calibrationEnd: string, periodDays = 7): CdnowCustomer[] {
  const end = dayIndexOfDate(calibrationEnd);
  const out: CdnowCustomer[] = [];
  for (const [id, days] of readCdnowDays(file)) {
    const calibration: [number, number][] = [];
    let holdoutPurchases = 0;
    let holdoutCents = 0;
    for (const [day, cents] of days) {
      if (day <= end) calibration.push([day, cents]);
      else {
        holdoutPurchases++;
        holdoutCents += cents;
      }
    }
    const summary = summarizePurchaseDays(calibration);
    if (summary === null) continue; // first purchase after the calibration end
    out.push({ id, input: toModelInput(summary, end, periodDays, 100), holdoutPurchases, holdoutValue: holdoutCents / 100 });
  }
  return out;
}
