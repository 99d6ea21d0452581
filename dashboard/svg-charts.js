// Charts as inline SVG built with the DOM: no library, no build step, nothing from a CDN.
// Every chart scales with its container (viewBox) and carries its numbers in data-*
// attributes and <title>s, for people hovering and for the browser test.

const NS = 'http://www.w3.org/2000/svg';
const W = 640;
const M = { left: 64, right: 16, top: 12, bottom: 30 };

/** An SVG element; attributes whose value is null or undefined are left out. */
export function el(tag, attrs = {}, children = []) {
  const node = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== null && v !== undefined) node.setAttribute(k, String(v));
  for (const child of children) node.append(child);
  return node;
}

const title = (text) => el('title', {}, [text]);
const text = (x, y, content, attrs = {}) => el('text', { x, y, ...attrs }, [content]);

/** About `count` round tick values from lo up to the first at or above hi (steps of 1, 2 or 5 × 10^k). */
export function niceTicks(lo, hi, count = 5) {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const scale = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((s) => s * scale).find((s) => s >= raw);
  const top = Math.ceil(hi / step - 1e-9) * step;
  const ticks = [];
  for (let t = Math.ceil(lo / step) * step; t <= top + step * 1e-9; t += step) ticks.push(Number(t.toPrecision(12)));
  return ticks;
}

function linear(d0, d1, r0, r1) {
  const span = d1 - d0 || 1;
  return (v) => r0 + ((v - d0) / span) * (r1 - r0);
}

function svgRoot(height, label) {
  return el('svg', { viewBox: `0 0 ${W} ${height}`, role: 'img', 'aria-label': label, class: 'chart' });
}

function yAxis(root, y, ticks, format, height) {
  for (const t of ticks) {
    root.append(el('line', { x1: M.left, x2: W - M.right, y1: y(t), y2: y(t), class: 'grid' }));
    root.append(text(M.left - 6, y(t) + 4, format(t), { 'text-anchor': 'end', class: 'tick' }));
  }
  root.append(el('line', { x1: M.left, x2: M.left, y1: M.top, y2: height - M.bottom, class: 'axis' }));
}

/** Horizontal bars, one per item ({ key, label, value, color }), value printed at the end. */
export function barChart(items, { label, format = String }) {
  const rowH = 28;
  const height = items.length * rowH + 8;
  const root = svgRoot(height, label);
  const max = Math.max(1, ...items.map((i) => i.value));
  const x = linear(0, max, 0, W - 150 - 60);
  items.forEach((item, n) => {
    const y0 = 4 + n * rowH;
    root.append(el('g', { class: 'bar', 'data-key': item.key, 'data-value': item.value }, [
      title(`${item.label}: ${format(item.value)}`),
      text(144, y0 + 18, item.label, { 'text-anchor': 'end', class: 'label' }),
      el('rect', { x: 150, y: y0 + 4, width: Math.max(1, x(item.value)), height: rowH - 8, fill: item.color, rx: 2 }),
      text(150 + x(item.value) + 6, y0 + 18, format(item.value), { class: 'value' }),
    ]));
  });
  return root;
}

/**
 * Lines over a numeric x (epoch ms for time): series [{ name, color, dashed, points: [{ x, y }] }],
 * an optional band [{ x, lo, hi }] drawn under them, and a legend.
 */
export function lineChart({ series, band = [], label, formatX, formatY, height = 240 }) {
  const root = svgRoot(height, label);
  const all = [...series.flatMap((s) => s.points), ...band.flatMap((b) => [{ x: b.x, y: b.lo }, { x: b.x, y: b.hi }])];
  const xs = all.map((p) => p.x);
  const yTicks = niceTicks(0, Math.max(1, ...all.map((p) => p.y)));
  const x = linear(Math.min(...xs), Math.max(...xs), M.left + 8, W - M.right - 8);
  const y = linear(0, yTicks.at(-1), height - M.bottom, M.top);
  yAxis(root, y, yTicks, formatY, height);
  const xTicks = evenly(Math.min(...xs), Math.max(...xs), 5);
  // The outer labels hang inwards so that they are not cut at the edges.
  const anchor = (i) => (xTicks.length === 1 ? 'middle' : i === 0 ? 'start' : i === xTicks.length - 1 ? 'end' : 'middle');
  xTicks.forEach((t, i) => root.append(text(x(t), height - 10, formatX(t), { 'text-anchor': anchor(i), class: 'tick' })));
  if (band.length > 1) {
    const path = [...band.map((b) => `${x(b.x)},${y(b.hi)}`), ...band.toReversed().map((b) => `${x(b.x)},${y(b.lo)}`)];
    root.append(el('polygon', { points: path.join(' '), class: 'band' }));
  }
  for (const s of series) {
    const g = el('g', { class: 'series', 'data-series': s.name });
    if (s.points.length > 1) {
      g.append(el('polyline', { points: s.points.map((p) => `${x(p.x)},${y(p.y)}`).join(' '), stroke: s.color, fill: 'none', 'stroke-width': 2, 'stroke-dasharray': s.dashed ? '6 4' : null }));
    }
    for (const p of s.points) {
      g.append(el('circle', { cx: x(p.x), cy: y(p.y), r: 3, fill: s.color, 'data-x': p.x, 'data-y': p.y }, [title(`${s.name} ${formatX(p.x)}: ${formatY(p.y)}`)]));
    }
    root.append(g);
  }
  return root;
}

/** `count` values spread evenly over [lo, hi] (one when they are equal). */
function evenly(lo, hi, count) {
  if (hi === lo) return [lo];
  return Array.from({ length: count }, (_, i) => lo + ((hi - lo) * i) / (count - 1));
}

/**
 * Vertical bars for consecutive buckets [{ lower, upper, count }], one more bar for the
 * tail counted apart (`above`, drawn apart), and vertical markers [{ at, name }].
 */
export function histogram({ buckets, above, markers = [], label, formatX, height = 240 }) {
  const root = svgRoot(height, label);
  const n = buckets.length + 1;
  const slot = (W - M.left - M.right) / (n + 0.5);
  const yTicks = niceTicks(0, Math.max(1, above.count, ...buckets.map((b) => b.count)));
  const y = linear(0, yTicks.at(-1), height - M.bottom, M.top);
  yAxis(root, y, yTicks, String, height);
  const bar = (i, count, cls, tip, data) => el('rect', {
    x: M.left + i * slot + 1, y: y(count), width: slot - 2, height: y(0) - y(count), class: cls, ...data,
  }, [title(tip)]);
  buckets.forEach((b, i) => {
    root.append(bar(i, b.count, 'bucket', `${formatX(b.lower)} – ${formatX(b.upper)}: ${b.count}`, { 'data-lower': b.lower, 'data-count': b.count }));
  });
  const tailAt = buckets.length + 0.5;
  root.append(bar(tailAt, above.count, 'bucket tail', `≥ ${formatX(above.lower)}: ${above.count}`, { 'data-lower': above.lower, 'data-count': above.count }));
  const every = Math.ceil(buckets.length / 5);
  buckets.forEach((b, i) => {
    if (i % every === 0) root.append(text(M.left + i * slot, height - 10, formatX(b.lower), { 'text-anchor': 'middle', class: 'tick' }));
  });
  root.append(text(M.left + (tailAt + 0.5) * slot, height - 10, `≥ ${formatX(above.lower)}`, { 'text-anchor': 'middle', class: 'tick' }));
  const last = buckets.at(-1);
  for (const m of markers) {
    if (!last || m.at >= last.upper) continue;
    const i = buckets.findIndex((b) => m.at < b.upper);
    const mx = M.left + (i + (m.at - buckets[i].lower) / (buckets[i].upper - buckets[i].lower)) * slot;
    root.append(el('line', { x1: mx, x2: mx, y1: M.top, y2: height - M.bottom, class: 'marker' }));
    root.append(text(mx + 4, M.top + 12, m.name, { class: 'marker-label' }));
  }
  return root;
}
