/**
 * CustomerScoreState ⇄ stored text, state format 5: a JSON array by position. Lossless —
 * `decode` gives back what `JSON.parse(JSON.stringify(state))` would, the features' fields in
 * the order of their Avro schema (the scoring processor keeps the features as decoded). Left
 * out of the JSON: field names; the customer id (the key) and the features id when it is the
 * features processor's `<customer>@<orders>.<revisions>` (two numbers instead); most digits of
 * times — each is stored as its distance from the first purchase, the as-of and the sweep's
 * as-of from the features' time — and of the recent purchase days (each from the previous).
 *
 * The API's customer-document cache keeps a document per stored text (its revision): any
 * change to a score state changes the text, as it did with JSON.
 *
 * Layout: see SCORE_STATE_FIELDS (docs/database-schema.md lists it).
 */
import type { CategorySpend, CustomerFeaturesEvent, PurchaseDay } from '../../core/events.js';
import type { ClvInterval } from '../../core/ports/clv-read-model.js';
import type { StateCodec } from '../../core/ports/state-store.js';
import type { RecommendedAction } from '../../core/recommendations/recommend-action.js';
import type { Segment } from '../../core/segmentation.js';
import type { CustomerScoreState } from '../scoring/customer-scorer.js';
import { MS_PER_UTC_DAY, PositionalFields, since } from './positional-fields.js';

/** What each position holds (docs/database-schema.md). */
export const SCORE_STATE_FIELDS: readonly string[] = [
  'features.event_id: [orders, revisions] when it is `<key>@<orders, 12 digits>.<revisions, 12 digits>`, else the id',
  'features.customer_id: 0 when it is the key, else the id',
  'features.first_purchase_time (epoch ms; `t0` below)',
  'features.last_purchase_time − t0',
  'features.event_time − t0',
  'features.purchase_days',
  'features.repeat_purchase_days',
  'features.repeat_value_minor',
  'features.total_value_minor',
  'features.currency',
  'features.category_summary flattened: category, orders, quantity, spend_minor, …',
  'features.recent_purchase_days: null when absent, else flattened: day − the previous day (the first: − the UTC day of t0), value_minor, …',
  'asOfMs − features.event_time, or null',
  'segment, or null',
  'clvMinor',
  'modelVersion, or null',
  'recommendation: null, or [action, reason, categories, minUnitPriceMinor]',
  'interval: null, or [lowerMinor, upperMinor, level]',
  'sequence',
  'sweptToMs − features.event_time, or null',
];

const WHAT = 'a score state';
/** The features processor's event id: `<customer>@<orders>.<revisions>`, each zero-padded to 12 digits. */
const FEATURES_ID = /^(\d{12})\.(\d{12})$/;
const pad = (n: number) => String(n).padStart(12, '0');

export const scoreStateCodec: StateCodec<CustomerScoreState> = {
  encode(s: CustomerScoreState, key: string): string {
    const f = s.features;
    const t0 = f.first_purchase_time;
    const eventTime = f.event_time;
    const summary: Array<string | number> = [];
    for (const c of f.category_summary) summary.push(c.category, c.orders, c.quantity, c.spend_minor);
    let recent: number[] | null = null;
    if (f.recent_purchase_days !== undefined && f.recent_purchase_days !== null) {
      recent = [];
      let previous = Math.floor(t0 / MS_PER_UTC_DAY);
      for (const d of f.recent_purchase_days) {
        recent.push(d.day - previous, d.value_minor);
        previous = d.day;
      }
    }
    const r = s.recommendation;
    const i = s.interval;
    return JSON.stringify([
      featuresIdFields(f.event_id, f.customer_id),
      f.customer_id === key ? 0 : f.customer_id,
      since(t0, 0, 'first_purchase_time'),
      since(f.last_purchase_time, t0, 'last_purchase_time'),
      since(eventTime, t0, 'features event_time'),
      f.purchase_days,
      f.repeat_purchase_days,
      f.repeat_value_minor,
      f.total_value_minor,
      f.currency,
      summary,
      recent,
      s.asOfMs === null ? null : since(s.asOfMs, eventTime, 'asOfMs'),
      s.segment,
      s.clvMinor,
      s.modelVersion,
      r === null ? null : [r.action, r.reason, r.categories, r.minUnitPriceMinor],
      i === null ? null : [i.lowerMinor, i.upperMinor, i.level],
      s.sequence,
      s.sweptToMs === null ? null : since(s.sweptToMs, eventTime, 'sweptToMs'),
    ]);
  },

  decode(text: string, key: string): CustomerScoreState {
    const f = PositionalFields.parse(text, WHAT, SCORE_STATE_FIELDS.length);
    const customerId = f.raw(1) === 0 ? key : f.string(1, 'customer_id');
    const t0 = f.number(2, 'first_purchase_time');
    const eventTime = t0 + f.number(4, 'event_time');
    const flatSummary = f.array(10, 'category_summary', 4);
    const summary: CategorySpend[] = [];
    for (let j = 0; j < flatSummary.length; j += 4) {
      const [category, orders, quantity, spend] = flatSummary.slice(j, j + 4);
      if (typeof category !== 'string' || typeof orders !== 'number' || typeof quantity !== 'number' || typeof spend !== 'number') throw f.wrong(10, 'category_summary', '[category, orders, quantity, spend] quadruples');
      summary.push({ category, orders, quantity, spend_minor: spend });
    }
    const features: CustomerFeaturesEvent = {
      event_id: featuresIdOf(f, customerId),
      event_time: eventTime,
      customer_id: customerId,
      first_purchase_time: t0,
      last_purchase_time: t0 + f.number(3, 'last_purchase_time'),
      purchase_days: f.number(5, 'purchase_days'),
      repeat_purchase_days: f.number(6, 'repeat_purchase_days'),
      repeat_value_minor: f.number(7, 'repeat_value_minor'),
      total_value_minor: f.number(8, 'total_value_minor'),
      currency: f.string(9, 'currency'),
      category_summary: summary,
    };
    if (f.raw(11) !== null) {
      const flat = f.array(11, 'recent_purchase_days', 2);
      const recent: PurchaseDay[] = [];
      let day = Math.floor(t0 / MS_PER_UTC_DAY);
      for (let j = 0; j < flat.length; j += 2) {
        const delta = flat[j];
        const value = flat[j + 1];
        if (typeof delta !== 'number' || typeof value !== 'number') throw f.wrong(11, 'recent_purchase_days', '[day, value] pairs');
        day += delta;
        recent.push({ day, value_minor: value });
      }
      features.recent_purchase_days = recent;
    }
    const asOf = f.numberOrNull(12, 'asOfMs');
    const swept = f.numberOrNull(19, 'sweptToMs');
    return {
      features,
      asOfMs: asOf === null ? null : eventTime + asOf,
      segment: f.stringOrNull(13, 'segment') as Segment | null,
      clvMinor: f.number(14, 'clvMinor'),
      modelVersion: f.stringOrNull(15, 'modelVersion'),
      recommendation: f.raw(16) === null ? null : recommendationOf(PositionalFields.of(f.raw(16), `${WHAT}'s recommendation`, 4)),
      interval: f.raw(17) === null ? null : intervalOf(PositionalFields.of(f.raw(17), `${WHAT}'s interval`, 3)),
      sequence: f.number(18, 'sequence'),
      sweptToMs: swept === null ? null : eventTime + swept,
    };
  },
};

function featuresIdFields(eventId: string, customerId: string): string | [number, number] {
  if (eventId.length === customerId.length + 26 && eventId.startsWith(customerId) && eventId[customerId.length] === '@') {
    const m = FEATURES_ID.exec(eventId.slice(customerId.length + 1));
    if (m) return [Number(m[1]), Number(m[2])];
  }
  return eventId;
}

function featuresIdOf(f: PositionalFields, customerId: string): string {
  const v = f.raw(0);
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'number' && typeof v[1] === 'number') return `${customerId}@${pad(v[0])}.${pad(v[1])}`;
  throw f.wrong(0, 'features.event_id', 'an id or [orders, revisions]');
}

function recommendationOf(r: PositionalFields): RecommendedAction {
  return { action: r.string(0, 'action') as RecommendedAction['action'], reason: r.string(1, 'reason'), categories: r.strings(2, 'categories'), minUnitPriceMinor: r.number(3, 'minUnitPriceMinor') };
}

function intervalOf(i: PositionalFields): ClvInterval {
  return { lowerMinor: i.number(0, 'lowerMinor'), upperMinor: i.number(1, 'upperMinor'), level: i.number(2, 'level') };
}
