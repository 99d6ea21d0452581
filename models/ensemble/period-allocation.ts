/**
 * Turning a model's total over a window into per-day (and so per-month) aggregates. The
 * per-customer models predict one number per customer for the whole window; the monthly
 * revenue that finance plans with needs a shape over time. A shape is a non-negative weight
 * per day of the window: the total is split in proportion to it, so allocation never changes
 * the total. Shapes come from a model's cumulative expectation sampled at month ends (spread
 * evenly over each month's days) and may be multiplied by a seasonal factor per day (Prophet's
 * yearly, weekly and holiday components: Taylor & Letham 2018).
 */
import { dateOfDayIndex, dayIndexOfDate } from '../../core/calendar.js';

/** A calendar month, or the part of it inside a window. Days inclusive. */
export interface CalendarMonth {
  /** `YYYY-MM`. */
  month: string;
  fromDay: number;
  toDay: number;
}

/** The calendar months (clipped to the window) that days fromDay … toDay touch, in order. */
export function calendarMonths(fromDay: number, toDay: number): CalendarMonth[] {
  if (!(Number.isInteger(fromDay) && Number.isInteger(toDay)) || toDay < fromDay) throw new RangeError(`bad window ${fromDay}…${toDay}`);
  const months: CalendarMonth[] = [];
  let day = fromDay;
  while (day <= toDay) {
    const [y, m] = dateOfDayIndex(day).split('-').map(Number);
    const next = dayIndexOfDate(m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`);
    const end = Math.min(toDay, next - 1);
    months.push({ month: `${y}-${String(m).padStart(2, '0')}`, fromDay: day, toDay: end });
    day = end + 1;
  }
  return months;
}

/**
 * A daily shape from per-month values: each month's value spread evenly over its days.
 * Day 0 of the result is `months[0].fromDay`; the months must be contiguous.
 */
export function spreadOverDays(months: readonly CalendarMonth[], values: ArrayLike<number>): Float64Array {
  if (months.length !== values.length) throw new RangeError(`${months.length} months, ${values.length} values`);
  if (months.length === 0) return new Float64Array(0);
  const start = months[0].fromDay;
  const out = new Float64Array(months[months.length - 1].toDay - start + 1);
  months.forEach((m, i) => {
    if (m.fromDay !== (i === 0 ? start : months[i - 1].toDay + 1)) throw new RangeError(`month ${m.month} is not contiguous`);
    const perDay = values[i] / (m.toDay - m.fromDay + 1);
    for (let d = m.fromDay; d <= m.toDay; d++) out[d - start] = perDay;
  });
  return out;
}

/** Element-wise product of a shape and per-day factors (e.g. a seasonal multiplier). */
export function reshape(shape: ArrayLike<number>, factors: ArrayLike<number>): Float64Array {
  if (shape.length !== factors.length) throw new RangeError(`shape has ${shape.length} days, factors ${factors.length}`);
  return Float64Array.from(shape, (s, i) => s * factors[i]);
}

/**
 * `total` split over the days in proportion to `shape` (weights ≥ 0); evenly when the
 * shape sums to 0. The result sums to `total`.
 * @throws RangeError on an empty shape or a negative or non-finite weight.
 */
export function allocateTotal(total: number, shape: ArrayLike<number>): Float64Array {
  const n = shape.length;
  if (n === 0) throw new RangeError('cannot allocate over no day');
  let sum = 0;
  for (let i = 0; i < n; i++) {
    if (!(shape[i] >= 0 && shape[i] < Infinity)) throw new RangeError(`shape weight ${i} must be finite and ≥ 0, got ${shape[i]}`);
    sum += shape[i];
  }
  return Float64Array.from(shape, (w) => (sum === 0 ? total / n : (total * w) / sum));
}
