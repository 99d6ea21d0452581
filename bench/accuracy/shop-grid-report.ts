/**
 * The unseen-shop grid (`npm run bench:grid`, shop-grid.ts): shops from the project's
 * generator crossed with calibration lengths, calibration end months and seeds, none of
 * them a scenario of the accuracy benchmark, so selection's "do no harm" is measured on
 * splits nothing was looked at on. This module holds the grid's pure parts: the shops and
 * their dates, and the summary of the results.
 */
import { dateOfDayIndex, dayIndexOfDate } from '../../core/calendar.js';
import { harmAgainstBgNbd } from './accuracy-report.js';

/** One shop of the grid: a season, a calibration period ending on the last day of a month, a seed. */
export interface GridShop {
  season: string;
  /** Months of calibration. */
  months: number;
  /** Month (1–12) on whose last day the calibration ends. */
  endMonth: number;
  seed: number;
  /** First day of the history, YYYY-MM-DD. */
  start: string;
  calibrationEnd: string;
  /** The holdout: the 365 days after the calibration end. */
  holdoutEnd: string;
}

export interface GridResult extends GridShop {
  customers: number;
  champion: string;
  bgnbd: { valueError: number; spearman: number | null };
  championFigures: { valueError: number; spearman: number | null };
}

/** Every combination, seeds innermost-last so a partial run still covers every season. */
export function gridShops(seasons: readonly string[], months: readonly number[], endMonths: readonly number[], seeds: readonly number[], endYear = 2024): GridShop[] {
  const shops: GridShop[] = [];
  for (const seed of seeds) {
    for (const season of seasons) {
      for (const m of months) {
        for (const endMonth of endMonths) {
          if (!(Number.isInteger(endMonth) && endMonth >= 1 && endMonth <= 12)) throw new RangeError(`end month must be 1–12, got ${endMonth}`);
          if (!(Number.isInteger(m) && m >= 1)) throw new RangeError(`calibration months must be a positive integer, got ${m}`);
          const firstOfNext = addMonths(`${endYear}-${pad(endMonth)}-01`, 1);
          const calibrationEndDay = dayIndexOfDate(firstOfNext) - 1;
          shops.push({
            season, months: m, endMonth, seed,
            start: addMonths(firstOfNext, -m), calibrationEnd: dateOfDayIndex(calibrationEndDay), holdoutEnd: dateOfDayIndex(calibrationEndDay + 365),
          });
        }
      }
    }
  }
  return shops;
}

export interface GridSummary {
  shops: number;
  meanAbsValueError: { bgnbd: number; champion: number };
  /** Shops where the champion does harm (accuracy-report.ts: harmAgainstBgNbd). */
  harms: Array<{ shop: string; bgnbd: number; champion: number; spearmanBelow: boolean }>;
  /** Champion's |value error| more than 2 points below BG/NBD's. */
  gains: number;
  withinTenPercent: { bgnbd: number; champion: number };
  championCounts: Record<string, number>;
  /**
   * Per season and end month (calibration lengths and seeds pooled): mean signed value error
   * and mean |value error| of BG/NBD and of the champion — whether a model is biased at that
   * point of the year, as against unlucky on one shop.
   */
  byEndMonth: Array<{ season: string; endMonth: number; shops: number; meanError: { bgnbd: number; champion: number }; meanAbsError: { bgnbd: number; champion: number } }>;
  /** Median over the grid's (season, months, end) cells of the seed-to-seed standard deviation of BG/NBD's value error: the noise any per-shop margin is up against. */
  medianSeedSdOfBgNbdError: number | null;
}

export function shopName(s: GridShop): string {
  return `${s.season}/${s.months}m/end-${s.calibrationEnd.slice(5, 7)}/seed-${s.seed}`;
}

export function gridSummary(results: readonly GridResult[]): GridSummary {
  const mean = (v: number[]) => (v.length === 0 ? NaN : v.reduce((s, x) => s + x, 0) / v.length);
  const harms: GridSummary['harms'] = [];
  let gains = 0;
  const championCounts: Record<string, number> = {};
  for (const r of results) {
    const b = r.bgnbd;
    const c = r.championFigures;
    championCounts[r.champion] = (championCounts[r.champion] ?? 0) + 1;
    const harm = harmAgainstBgNbd(c, b);
    if (harm.value || harm.spearman) harms.push({ shop: shopName(r), bgnbd: b.valueError, champion: c.valueError, spearmanBelow: harm.spearman });
    if (Math.abs(c.valueError) < Math.abs(b.valueError) - 0.02) gains++;
  }
  const sds = groups(results, (r) => `${r.season}/${r.months}/${r.endMonth}`)
    .map((rs) => rs.map((r) => r.bgnbd.valueError))
    .filter((v) => v.length >= 2)
    .map((v) => Math.sqrt(v.reduce((s, x) => s + (x - mean(v)) ** 2, 0) / (v.length - 1)))
    .sort((a, b) => a - b);
  const byEndMonth = groups(results, (r) => `${r.season}/${r.endMonth}`).map((rs) => ({
    season: rs[0].season, endMonth: rs[0].endMonth, shops: rs.length,
    meanError: { bgnbd: mean(rs.map((r) => r.bgnbd.valueError)), champion: mean(rs.map((r) => r.championFigures.valueError)) },
    meanAbsError: { bgnbd: mean(rs.map((r) => Math.abs(r.bgnbd.valueError))), champion: mean(rs.map((r) => Math.abs(r.championFigures.valueError))) },
  }));
  return {
    shops: results.length,
    meanAbsValueError: { bgnbd: mean(results.map((r) => Math.abs(r.bgnbd.valueError))), champion: mean(results.map((r) => Math.abs(r.championFigures.valueError))) },
    harms,
    gains,
    withinTenPercent: { bgnbd: results.filter((r) => Math.abs(r.bgnbd.valueError) <= 0.1).length, champion: results.filter((r) => Math.abs(r.championFigures.valueError) <= 0.1).length },
    championCounts,
    byEndMonth,
    medianSeedSdOfBgNbdError: sds.length === 0 ? null : sds.length % 2 === 1 ? sds[sds.length >> 1] : (sds[sds.length / 2 - 1] + sds[sds.length / 2]) / 2,
  };
}

/** `items` grouped by `key`, groups in order of first appearance. */
function groups<T>(items: readonly T[], key: (item: T) => string): T[][] {
  const by = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = by.get(k);
    if (group) group.push(item);
    else by.set(k, [item]);
  }
  return [...by.values()];
}

function addMonths(date: string, months: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d.toISOString().slice(0, 10);
}

const pad = (n: number) => String(n).padStart(2, '0');
