// Charts as inline SVG built with the DOM: no library, no build step, nothing from a CDN.
// Every chart scales with its container (viewBox; `width` is the drawing's own width, so a
// wide panel gets a wide drawing rather than magnified text) and carries its numbers in
// data-* attributes and <title>s, for people hovering and for the browser test.

const NS = 'http://www.w3.org/2000/svg';
const M = { left: 64, right: 20, top: 14, bottom: 30 };

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

function svgRoot(width, height, label) {
  return el('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': label, class: 'chart' });
}

function yAxis(root, y, ticks, format, width, height) {
  for (const t of ticks) {
    root.append(el('line', { x1: M.left, x2: width - M.right, y1: y(t), y2: y(t), class: 'grid' }));
    root.append(text(M.left - 8, y(t) + 4, format(t), { 'text-anchor': 'end', class: 'tick' }));
  }
  root.append(el('line', { x1: M.left, x2: M.left, y1: M.top, y2: height - M.bottom, class: 'axis' }));
}

/**
 * Horizontal bars, one per item ({ key, label, value, color, note }), the value (and the
 * note, e.g. a change) printed after the bar.
 */
export function barChart(items, { label, format = String, width = 560 }) {
  const rowH = 30;
  const labelW = 120;
  const height = items.length * rowH + 8;
  const root = svgRoot(width, height, label);
  const max = Math.max(1, ...items.map((i) => i.value));
  const x = linear(0, max, 0, width - labelW - 150);
  items.forEach((item, n) => {
    const y0 = 4 + n * rowH;
    const end = labelW + 6 + x(item.value);
    root.append(el('g', { class: 'bar', 'data-key': item.key, 'data-value': item.value }, [
      title(`${item.label}: ${format(item.value)}${item.note ? ` (${item.note})` : ''}`),
      text(labelW, y0 + 19, item.label, { 'text-anchor': 'end', class: 'label' }),
      el('rect', { x: labelW + 6, y: y0 + 5, width: Math.max(1, x(item.value)), height: rowH - 10, fill: item.color, rx: 3 }),
      text(end + 6, y0 + 19, format(item.value), { class: 'value' }),
      ...(item.note ? [text(end + 10 + 8 * format(item.value).length, y0 + 19, item.note, { class: `delta ${item.noteClass ?? ''}` })] : []),
    ]));
  });
  return root;
}

/**
 * Lines over a numeric x (epoch ms for time): series [{ name, color, dashed, points:
 * [{ x, y, partial }] }] (a partial point is drawn hollow: a period not over yet), an
 * optional band [{ x, lo, hi }] drawn under them. X ticks are taken from the points' own x
 * values, so every label is a real period start.
 */
export function lineChart({ series, band = [], label, formatX, formatY, width = 640, height = 240 }) {
  const root = svgRoot(width, height, label);
  const all = [...series.flatMap((s) => s.points), ...band.flatMap((b) => [{ x: b.x, y: b.lo }, { x: b.x, y: b.hi }])];
  const xs = [...new Set(all.map((p) => p.x))].sort((a, b) => a - b);
  const yTicks = niceTicks(0, Math.max(1, ...all.map((p) => p.y)));
  const x = linear(xs[0], xs.at(-1), M.left + 10, width - M.right - 10);
  const y = linear(0, yTicks.at(-1), height - M.bottom, M.top);
  yAxis(root, y, yTicks, formatY, width, height);
  const count = Math.max(2, Math.min(xs.length, Math.floor((width - M.left) / 110)));
  const tickXs = xs.length === 1 ? xs : [...new Set(Array.from({ length: count }, (_, i) => xs[Math.round((i * (xs.length - 1)) / (count - 1))]))];
  const anchor = (i) => (tickXs.length === 1 ? 'middle' : i === 0 ? 'start' : i === tickXs.length - 1 ? 'end' : 'middle');
  tickXs.forEach((t, i) => {
    root.append(el('line', { x1: x(t), x2: x(t), y1: height - M.bottom, y2: height - M.bottom + 4, class: 'axis' }));
    root.append(text(x(t), height - 10, formatX(t), { 'text-anchor': anchor(i), class: 'tick' }));
  });
  if (band.length > 1) {
    const path = [...band.map((b) => `${x(b.x)},${y(b.hi)}`), ...band.toReversed().map((b) => `${x(b.x)},${y(b.lo)}`)];
    root.append(el('polygon', { points: path.join(' '), class: 'band' }, [title('forecast interval')]));
  }
  for (const s of series) {
    const g = el('g', { class: 'series', 'data-series': s.name });
    // A partial period (not over yet) is not joined to the line: its low value is not a fall.
    const whole = s.points.filter((p) => !p.partial);
    if (whole.length > 1) {
      g.append(el('polyline', { points: whole.map((p) => `${x(p.x)},${y(p.y)}`).join(' '), stroke: s.color, fill: 'none', 'stroke-width': 2, 'stroke-dasharray': s.dashed ? '6 4' : null, 'stroke-linejoin': 'round' }));
    }
    // Dense series: the line alone, with small markers only where a period is partial.
    const r = s.points.length > 120 ? 1.2 : s.points.length > 60 ? 2 : 3;
    for (const p of s.points) {
      g.append(el('circle', {
        cx: x(p.x), cy: y(p.y), r: p.partial ? Math.max(r, 3.5) : r, fill: p.partial ? '#fff' : s.color, stroke: s.color, 'stroke-width': p.partial ? 2 : 0,
        class: p.partial ? 'partial' : null, 'data-x': p.x, 'data-y': p.y,
      }, [title(`${s.name} ${formatX(p.x)}: ${formatY(p.y)}${p.partial ? ' (so far)' : ''}`)]));
    }
    root.append(g);
  }
  return root;
}

/**
 * Vertical bars for consecutive buckets [{ lower, upper, count }], one more bar for the
 * tail counted apart (`above`, drawn apart), and vertical markers [{ at, name }].
 */
export function histogram({ buckets, above, markers = [], label, formatX, width = 640, height = 240 }) {
  const root = svgRoot(width, height, label);
  const n = buckets.length + 1;
  const slot = (width - M.left - M.right) / (n + 0.5);
  const yTicks = niceTicks(0, Math.max(1, above.count, ...buckets.map((b) => b.count)));
  const y = linear(0, yTicks.at(-1), height - M.bottom, M.top);
  yAxis(root, y, yTicks, (v) => v.toLocaleString('en-US'), width, height);
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

/** A colour swatch for legends and labels. */
export function swatch(color) {
  return el('svg', { class: 'swatch', viewBox: '0 0 10 10', width: 10, height: 10 }, [el('rect', { width: 10, height: 10, rx: 2, fill: color })]);
}
