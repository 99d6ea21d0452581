/**
 * Model data as columns. BG/NBD needs (x, t_x, T) per customer, Gamma-Gamma (x, m̄_x) per
 * repeat customer. Columns of Float64Array keep the likelihood loops tight, and a weight
 * per row lets identical rows be stored once: the likelihood of a row is multiplied by its
 * weight, exactly as lifetimes' `weights` (on CDNOW_master the 23,570 customers reduce to
 * far fewer distinct (x, t_x, T)).
 */

import type { ModelInput } from '../core/repeat-purchase-summary.js';

/** BG/NBD data: one row per customer, or per distinct (x, t_x, T) with a weight. */
export interface RfmColumns {
  /** x: repeat purchase periods (≥ 0). */
  readonly frequency: Float64Array;
  /** t_x: first to last purchase, periods (0 ≤ t_x ≤ T). */
  readonly recency: Float64Array;
  /** T: first purchase to the end of calibration, periods (≥ 0). */
  readonly T: Float64Array;
  /** How many customers the row stands for (> 0); absent = 1 each. */
  readonly weight?: Float64Array;
}

/** Gamma-Gamma data: repeat customers with a positive mean repeat value. */
export interface SpendColumns {
  /** x: repeat purchase periods (≥ 1). */
  readonly frequency: Float64Array;
  /** m̄_x: mean value of the repeat purchase periods, currency units (> 0). */
  readonly monetaryValue: Float64Array;
  /** How many customers the row stands for (> 0); absent = 1 each. */
  readonly weight?: Float64Array;
}

/** Columns as the builders below return them: with the weight column. */
export type WeightedRfmColumns = RfmColumns & { readonly weight: Float64Array };
export type WeightedSpendColumns = SpendColumns & { readonly weight: Float64Array };

/** Options of {@link rfmColumns}. */
export interface RfmColumnsOptions {
  /** Store identical (x, t_x, T) once, with the count as weight (default true). */
  compress?: boolean;
}

/**
 * Columns for BG/NBD from model inputs.
 * @throws RangeError naming the first customer index whose values are impossible
 *   (non-finite, x < 0, t_x < 0, t_x > T).
 */
export function rfmColumns(inputs: readonly Pick<ModelInput, 'frequency' | 'recency' | 'T'>[], options: RfmColumnsOptions = {}): WeightedRfmColumns {
  const n = inputs.length;
  const frequency = new Float64Array(n);
  const recency = new Float64Array(n);
  const T = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const { frequency: x, recency: tx, T: t } = inputs[i];
    if (!(Number.isFinite(x) && Number.isFinite(tx) && Number.isFinite(t) && x >= 0 && tx >= 0 && tx <= t)) {
      throw new RangeError(`customer ${i}: impossible (x, t_x, T) = (${x}, ${tx}, ${t})`);
    }
    frequency[i] = x;
    recency[i] = tx;
    T[i] = t;
  }
  const columns = { frequency, recency, T, weight: new Float64Array(n).fill(1) };
  return options.compress ?? true ? compressRfmColumns(columns) : columns;
}

/** Merges rows with identical (x, t_x, T), adding their weights. Row order: first appearance. */
export function compressRfmColumns(data: RfmColumns): WeightedRfmColumns {
  return compress([data.frequency, data.recency, data.T], weightsOf(data), (c, w) => ({ frequency: c[0], recency: c[1], T: c[2], weight: w }));
}

/**
 * Columns for Gamma-Gamma: only customers with x > 0 and m̄_x > 0 (Fader & Hardie 2013:
 * the model describes the spend of repeat transactions; a zero mean cannot come from a
 * gamma distribution). Rows are sorted by (x, m̄_x) — the likelihood's per-x terms are then
 * computed once per run of equal x — and identical rows are merged.
 * @throws RangeError naming the first customer index with a non-finite or negative value.
 */
export function spendColumns(inputs: readonly Pick<ModelInput, 'frequency' | 'monetaryValue'>[]): WeightedSpendColumns {
  const rows: [x: number, m: number][] = [];
  for (let i = 0; i < inputs.length; i++) {
    const { frequency: x, monetaryValue: m } = inputs[i];
    if (!(Number.isFinite(x) && Number.isFinite(m) && x >= 0 && m >= 0)) {
      throw new RangeError(`customer ${i}: impossible (x, monetary value) = (${x}, ${m})`);
    }
    if (x > 0 && m > 0) rows.push([x, m]);
  }
  rows.sort((u, v) => u[0] - v[0] || u[1] - v[1]);
  const frequency = Float64Array.from(rows, (r) => r[0]);
  const monetaryValue = Float64Array.from(rows, (r) => r[1]);
  const weight = new Float64Array(rows.length).fill(1);
  return compress([frequency, monetaryValue], weight, (c, w) => ({ frequency: c[0], monetaryValue: c[1], weight: w }));
}

/** Total weight: the number of customers the columns stand for. */
export function totalWeight(data: { readonly frequency: Float64Array; readonly weight?: Float64Array }): number {
  if (data.weight === undefined) return data.frequency.length;
  let s = 0;
  for (let i = 0; i < data.weight.length; i++) s += data.weight[i];
  return s;
}

/**
 * The weight column, ones when absent.
 * @throws RangeError when the columns' lengths differ or a weight is not finite and > 0.
 */
export function weightsOf(data: RfmColumns | SpendColumns): Float64Array {
  const n = data.frequency.length;
  for (const [name, column] of Object.entries(data) as [string, unknown][]) {
    if (column instanceof Float64Array && column.length !== n) throw new RangeError(`column ${name} has ${column.length} rows, frequency ${n}`);
  }
  if (data.weight === undefined) return new Float64Array(n).fill(1);
  for (let i = 0; i < n; i++) if (!(data.weight[i] > 0 && data.weight[i] < Infinity)) throw new RangeError(`row ${i}: weight ${data.weight[i]} is not finite and > 0`);
  return data.weight;
}

function compress<R>(columns: Float64Array[], weight: Float64Array, build: (columns: Float64Array[], weight: Float64Array) => R): R {
  const n = weight.length;
  const slotOf = new Map<string, number>();
  const rowOfSlot: number[] = [];
  const slotWeight: number[] = [];
  for (let i = 0; i < n; i++) {
    let key = '';
    for (const c of columns) key += c[i] + ',';
    const slot = slotOf.get(key);
    if (slot === undefined) {
      slotOf.set(key, rowOfSlot.length);
      rowOfSlot.push(i);
      slotWeight.push(weight[i]);
    } else {
      slotWeight[slot] += weight[i];
    }
  }
  const out = columns.map((c) => Float64Array.from(rowOfSlot, (i) => c[i]));
  return build(out, Float64Array.from(slotWeight));
}
