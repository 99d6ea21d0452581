// Formatting and DOM helpers shared by the panels. Money and dates follow the shop: its
// currency (from the CLV distribution) and its time zone (from the revenue actuals), set
// once per load with `setShop`. Text goes into the DOM as text only, never as HTML.

const shop = { currency: 'USD', minorPerUnit: 100, timeZone: 'UTC' };

export function setShop(values) {
  Object.assign(shop, Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined && v !== null)));
}

export const $ = (id) => document.getElementById(id);

/** An HTML element with attributes and text or element children (null/undefined skipped). */
export function h(tag, attrs = {}, children = []) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== null && v !== undefined && v !== false) node.setAttribute(k, String(v));
  for (const child of children) if (child !== null && child !== undefined) node.append(child);
  return node;
}

export const note = (text, cls = 'note') => h('p', { class: cls }, [text]);

/** A caption whose text the browser test compares with what the API says. */
export const caption = (name, text) => h('p', { class: 'caption', 'data-caption': name }, [text]);

export function formatMoney(minor, digits = 0) {
  return new Intl.NumberFormat('en-US', { style: 'currency', currency: shop.currency, minimumFractionDigits: digits, maximumFractionDigits: digits })
    .format(minor / shop.minorPerUnit);
}

/** $12.3k, $1.2M: for axes. */
export function formatMoneyShort(minor) {
  return new Intl.NumberFormat('en-US', { style: 'currency', currency: shop.currency, notation: 'compact', maximumFractionDigits: 1 })
    .format(minor / shop.minorPerUnit);
}

export const formatCount = (n) => n.toLocaleString('en-US');

/** 0.1234 → "12.3%"; signed adds "+" to positive values. */
export function formatPercent(fraction, { signed = false, digits = 1 } = {}) {
  if (fraction === null || fraction === undefined) return '—';
  const text = `${Math.abs(fraction * 100).toFixed(digits)}%`;
  // A typographic minus: "−2.4%" reads better than a hyphen.
  return fraction < 0 && Number((fraction * 100).toFixed(digits)) !== 0 ? `−${text}` : signed && fraction > 0 ? `+${text}` : text;
}

const dateParts = (ms) => {
  const parts = {};
  for (const p of new Intl.DateTimeFormat('en-CA', { timeZone: shop.timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
    .formatToParts(ms)) parts[p.type] = p.value;
  return parts;
};

/** YYYY-MM-DD of an instant in the shop's time zone. */
export function formatDate(ms) {
  const p = dateParts(ms);
  return `${p.year}-${p.month}-${p.day}`;
}

/** YYYY-MM-DD HH:MM in the shop's time zone, with the zone's name. */
export function formatDateTime(ms) {
  const p = dateParts(ms);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute} ${shop.timeZone}`;
}

/** "Jul 2024" for a month start. */
export function formatMonth(ms) {
  return new Intl.DateTimeFormat('en-US', { timeZone: shop.timeZone, month: 'short', year: 'numeric' }).format(ms);
}

/** The label of a period start: a month, or a day. */
export const formatPeriod = (period) => (period === 'month' ? formatMonth : formatDate);

/** YYYY-MM-DD n days after (or before) a YYYY-MM-DD date: calendar arithmetic, no time zone. */
export function addDays(date, n) {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

export const plural = (n, one, many = `${one}s`) => `${formatCount(n)} ${n === 1 ? one : many}`;

export const SEGMENT_COLORS = {
  new: '#8e44ad', high_value: '#1e8449', medium_value: '#2f6fdf', low_value: '#95a5a6', at_risk: '#e67e22', lost: '#c0392b',
};

export const segmentLabel = (s) => (s === null ? 'not scored before' : s.replace('_', ' '));
export const actionLabel = (a) => a.replace('_', '-');

const KINDS = {
  'bgnbd-gamma-gamma': 'BG/NBD + Gamma-Gamma', 'seasonal-bgnbd-gamma-gamma': 'seasonal BG/NBD + Gamma-Gamma', 'rfm-rules': 'RFM rules', lstm: 'LSTM', ensemble: 'ensemble',
};
export const kindLabel = (kind) => KINDS[kind] ?? kind;
