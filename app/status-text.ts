/** `clv status` as text: one line per service, consumer group, the newest score and the champion. */
import type { StatusReport } from './status-report.js';

const LABEL = 18;

export function statusText(r: StatusReport): string {
  const lines: string[] = [];
  const row = (label: string, text: string) => lines.push(`${label.padEnd(LABEL)} ${text}`);
  for (const s of r.services) {
    row(s.service, s.up ? `up    ${s.address} (${s.ms} ms)` : `DOWN  ${s.address}: ${s.error} (after ${s.ms} ms)`);
  }
  const kafkaUp = r.services.find((s) => s.service === 'kafka')?.up ?? false;
  if (!kafkaUp) row('lag', 'unknown: Kafka is down');
  const width = Math.max(0, ...r.lag.map((g) => g.group.length));
  for (const g of r.lag) {
    const what = g.lag === null ? `unknown: ${g.note}` : g.lag === 0 ? '0 (caught up)' : `${g.lag.toLocaleString('en-US')} messages behind`;
    row('lag', `${g.group.padEnd(width)}  ${what}`);
  }
  row('last score', r.lastScore.eventTime === null ? `none: ${r.lastScore.note}` : `${r.lastScore.eventTime} (event time of the newest score in ClickHouse)`);
  if (r.championError) row('champion', `unknown: ${r.championError}`);
  else if (r.champion === null) row('champion', 'none: scoring uses the RFM rules until a model is trained (clv train)');
  else {
    const c = r.champion;
    const age = c.ageMs === null ? '' : `, ${duration(c.ageMs)} old`;
    const trained = c.registeredAt === null ? '' : `, trained ${c.registeredAt}${age}`;
    const since = c.promotedAt === null ? '' : `, champion since ${c.promotedAt}`;
    row('champion', `${c.version}${c.kind ? ` (${c.kind})` : ''}${trained}${since}`);
  }
  return `${lines.join('\n')}\n`;
}

/** "3 d 4 h", "5 h 12 min", "42 s". */
export function duration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const [d, h, m] = [Math.floor(s / 86_400), Math.floor((s % 86_400) / 3600), Math.floor((s % 3600) / 60)];
  if (d > 0) return `${d} d ${h} h`;
  if (h > 0) return `${h} h ${m} min`;
  if (m > 0) return `${m} min ${s % 60} s`;
  return `${s} s`;
}
