/**
 * The monitoring as code, read back for tests: the rules of monitoring/rules/*.yml, the
 * promtool unit tests of monitoring/tests/*.test.yml and the queries of the Grafana
 * dashboards monitoring/grafana/*.json. Both the unit test (structure, names, coverage) and
 * the real-Prometheus test (every query returns data) take their expressions from here, so a
 * new rule or panel is checked without touching either test.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';

export const monitoringDir = resolve(import.meta.dirname, '..', '..', 'monitoring');

export interface Rule {
  file: string;
  group: string;
  kind: 'record' | 'alert';
  name: string;
  expr: string;
  for?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export interface PanelQuery {
  dashboard: string;
  panel: string;
  refId: string;
  /** As written in the dashboard, Grafana variables included. */
  expr: string;
}

function yamlFiles(dir: string, suffix: string): string[] {
  return readdirSync(join(monitoringDir, dir)).filter((f) => f.endsWith(suffix)).sort().map((f) => join(monitoringDir, dir, f));
}

export const ruleFilePaths = (): string[] => yamlFiles('rules', '.yml');
export const ruleTestFilePaths = (): string[] => yamlFiles('tests', '.test.yml');
export const dashboardPaths = (): string[] => yamlFiles('grafana', '.json');

export function rules(): Rule[] {
  return ruleFilePaths().flatMap((file) => {
    const doc = parse(readFileSync(file, 'utf8')) as { groups: Array<{ name: string; rules: Array<Record<string, unknown>> }> };
    return doc.groups.flatMap((g) => g.rules.map((r): Rule => ({
      file,
      group: g.name,
      kind: 'alert' in r ? 'alert' : 'record',
      name: String(r.alert ?? r.record),
      expr: String(r.expr).trim(),
      for: r.for as string | undefined,
      labels: (r.labels ?? {}) as Record<string, string>,
      annotations: (r.annotations ?? {}) as Record<string, string>,
    })));
  });
}

export interface AlertCase {
  file: string;
  alertname: string;
  evalTime: string;
  fires: boolean;
}

/** Every alert_rule_test case of the promtool unit tests: does it expect the alert to fire? */
export function alertCases(): AlertCase[] {
  return ruleTestFilePaths().flatMap((file) => {
    const doc = parse(readFileSync(file, 'utf8')) as { tests: Array<{ alert_rule_test?: Array<{ alertname: string; eval_time: string; exp_alerts?: unknown[] }> }> };
    return doc.tests.flatMap((t) => (t.alert_rule_test ?? []).map((c) => ({ file, alertname: c.alertname, evalTime: c.eval_time, fires: (c.exp_alerts ?? []).length > 0 })));
  });
}

interface DashboardPanel {
  type: string;
  title: string;
  panels?: DashboardPanel[];
  targets?: Array<{ refId: string; expr?: string }>;
}

export function dashboards(): Array<{ file: string; json: Record<string, any> }> {
  return dashboardPaths().map((file) => ({ file, json: JSON.parse(readFileSync(file, 'utf8')) }));
}

/** Panels of a dashboard, those inside rows included. */
export function panelsOf(dashboard: { panels?: DashboardPanel[] }): DashboardPanel[] {
  return (dashboard.panels ?? []).flatMap((p) => [p, ...(p.panels ?? [])]);
}

export function panelQueries(): PanelQuery[] {
  return dashboards().flatMap(({ json }) => panelsOf(json).flatMap((p) => (p.targets ?? []).map((t) => ({
    dashboard: String(json.uid),
    panel: p.title,
    refId: t.refId,
    expr: String(t.expr ?? ''),
  }))));
}

/**
 * A panel query as Prometheus would get it from Grafana over a short time range: the
 * interval variables become fixed durations. Any other variable is an error, so that a
 * dashboard variable added later is given a value here on purpose.
 */
export function withGrafanaIntervals(expr: string, o: { rateInterval: string; interval: string; range: string }): string {
  const out = expr.replaceAll('$__rate_interval', o.rateInterval).replaceAll('$__interval', o.interval).replaceAll('$__range', o.range);
  if (out.includes('$')) throw new Error(`unknown Grafana variable in ${expr}`);
  return out;
}

/**
 * Metric names an expression reads: ours (a `clv_` or `clv:` segment) and `up`. Label values
 * (quoted strings) are left out.
 */
export function metricNamesIn(expr: string): string[] {
  const bare = expr.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""');
  const names = new Set<string>();
  for (const [name] of bare.matchAll(/[A-Za-z_:][A-Za-z0-9_:]*/g)) {
    if (/(^|:)clv[_:]/.test(name) || name === 'up') names.add(name);
  }
  return [...names];
}

/**
 * The parts of an alert (or any) expression that should return data on a healthy system:
 * the operands of its top-level `and` / `unless`, each without its threshold comparison
 * (`X > 0.01` → `X`; a comparison of two vectors keeps both). `or` stays whole: `X or
 * vector(0)` says on purpose that a missing X means 0.
 */
export function thresholdFreeOperands(expr: string): string[] {
  const e = stripParens(expr.trim());
  for (const ops of [SET_OPERATORS, COMPARISONS]) {
    const parts = splitTopLevel(e, ops);
    if (parts.length > 1) return parts.map(stripModifiers).filter((p) => !/^[\d\s.+\-*/()eE]+$/.test(p)).flatMap(thresholdFreeOperands);
  }
  return [e];
}

const SET_OPERATORS = ['and', 'unless'];
const COMPARISONS = ['==', '!=', '>=', '<=', '>', '<'];

/** Splits at the operators given that stand outside brackets and strings. */
function splitTopLevel(e: string, operators: readonly string[]): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < e.length; i++) {
    const c = e[i];
    if (c === '"' || c === "'" || c === '`') {
      i = endOfString(e, i);
      continue;
    }
    if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c)) depth--;
    if (depth !== 0) continue;
    for (const op of operators) {
      const isWord = /^[a-z]+$/.test(op);
      if (!e.startsWith(op, i)) continue;
      if (isWord && (/[A-Za-z0-9_:]/.test(e[i - 1] ?? '') || /[A-Za-z0-9_:]/.test(e[i + op.length] ?? ''))) continue;
      parts.push(e.slice(start, i).trim());
      start = i + op.length;
      i = start - 1;
      break;
    }
  }
  parts.push(e.slice(start).trim());
  return parts;
}

function endOfString(e: string, open: number): number {
  for (let i = open + 1; i < e.length; i++) {
    if (e[i] === '\\') i++;
    else if (e[i] === e[open]) return i;
  }
  return e.length;
}

/** `bool`, `on(...)`, `ignoring(...)`, `group_left(...)`, `group_right(...)` at the start of a right operand. */
function stripModifiers(part: string): string {
  let p = part;
  for (;;) {
    const m = /^\s*(bool|on\s*\([^)]*\)|ignoring\s*\([^)]*\)|group_left(\s*\([^)]*\))?|group_right(\s*\([^)]*\))?)(?=[\s(]|$)/.exec(p);
    if (!m) return p.trim();
    p = p.slice(m[0].length);
  }
}

/** Removes parentheses around the whole expression. */
function stripParens(e: string): string {
  while (e.startsWith('(')) {
    let depth = 0;
    let close = -1;
    for (let i = 0; i < e.length; i++) {
      if (e[i] === '"' || e[i] === "'") i = endOfString(e, i);
      else if (e[i] === '(') depth++;
      else if (e[i] === ')' && --depth === 0) { close = i; break; }
    }
    if (close !== e.length - 1) return e;
    e = e.slice(1, -1).trim();
  }
  return e;
}
