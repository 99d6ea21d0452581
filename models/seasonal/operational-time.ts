/**
 * Operational time: calendar time warped by the shop's seasonal intensity (seasonal-intensity.ts),
 * so that a customer's purchases follow a homogeneous Poisson process in it. If a customer buys
 * at rate λ·s(t) in calendar time, the count in (t₁, t₂] is Poisson with mean λ·∫s = λ·(Φ(t₂) −
 * Φ(t₁)), Φ(t) = ∫₀ᵗ s(u) du: a time change that leaves the BG/NBD story (Fader, Hardie & Lee 2005,
 * §3) intact in Φ. Fitting BG/NBD to (x, Φ-distances) and asking it about the Φ-length of a future
 * window puts the season into every customer's expectation: a CLV computed in November counts
 * December's peak, and a calibration ending on a peak no longer reads it as a faster customer.
 * The same device is classical for non-homogeneous Poisson processes (Cox & Lewis 1966, §4.2).
 *
 * Days are whole: Φ(d) is the intensity summed over the days before day d, so a purchase on day d
 * sits at Φ(d), and the Φ-length of days d₁ … d₂ − 1 is Φ(d₂) − Φ(d₁).
 */

import type { ModelInput } from '../../core/repeat-purchase-summary.js';

/** Intensity per day for any days (mean 1 over a year). */
export interface DailyIntensity {
  factors(days: readonly number[]): Float64Array;
}

/** Days computed at a time when the table has to grow. */
const CHUNK_DAYS = 366;

export class OperationalClock {
  /** cumulative[i] = Φ(from + i) − Φ(origin), for days from … from + length − 1. */
  private cumulative: Float64Array;
  private from: number;

  constructor(private readonly intensity: DailyIntensity, origin: number) {
    this.from = origin;
    this.cumulative = new Float64Array([0]);
  }

  /** Φ(day) − Φ(origin), in operational days (negative before the origin). */
  at(day: number): number {
    if (!Number.isFinite(day)) throw new RangeError(`day must be finite, got ${day}`);
    const whole = Math.floor(day);
    this.cover(whole + 1);
    const base = this.cumulative[whole - this.from];
    // A fractional day (none arise from day indices) counts at that day's intensity.
    return whole === day ? base : base + (day - whole) * (this.cumulative[whole + 1 - this.from] - base);
  }

  /** Operational length of days fromDay … toDay − 1. */
  between(fromDay: number, toDay: number): number {
    return this.at(toDay) - this.at(fromDay);
  }

  /** Grows the table (in chunks, both ways) until it holds day and day − 1. */
  private cover(day: number): void {
    while (day - 1 < this.from) this.extendBackward();
    while (day > this.from + this.cumulative.length - 1) this.extendForward();
  }

  private extendForward(): void {
    const last = this.from + this.cumulative.length - 1;
    const days = Array.from({ length: CHUNK_DAYS }, (_, i) => last + i);
    const f = this.intensity.factors(days);
    const grown = new Float64Array(this.cumulative.length + CHUNK_DAYS);
    grown.set(this.cumulative);
    let c = this.cumulative[this.cumulative.length - 1];
    for (let i = 0; i < CHUNK_DAYS; i++) grown[this.cumulative.length + i] = c += f[i];
    this.cumulative = grown;
  }

  private extendBackward(): void {
    const days = Array.from({ length: CHUNK_DAYS }, (_, i) => this.from - CHUNK_DAYS + i);
    const f = this.intensity.factors(days);
    const grown = new Float64Array(this.cumulative.length + CHUNK_DAYS);
    grown.set(this.cumulative, CHUNK_DAYS);
    let c = this.cumulative[0];
    for (let i = CHUNK_DAYS - 1; i >= 0; i--) grown[i] = c -= f[i];
    this.from -= CHUNK_DAYS;
    this.cumulative = grown;
  }
}

/** A customer's model inputs with t_x and T measured in operational periods of `periodDays` days. */
export function operationalInput(clock: OperationalClock, input: ModelInput, periodDays: number): ModelInput {
  const first = input.asOfDay - input.T * periodDays;
  const last = first + input.recency * periodDays;
  return { ...input, recency: clock.between(first, last) / periodDays, T: clock.between(first, input.asOfDay) / periodDays };
}
