/**
 * The monitoring as code (monitoring/), checked without Prometheus: every rule and panel reads
 * metrics the code defines (or recording rules the files define); every alert has a
 * severity, a summary, a description and a runbook section in docs/monitoring.md, and a
 * promtool unit test where it fires and one where it does not; the dashboards are provisionable
 * Grafana JSON on a Prometheus datasource variable. `monitoring/check-rules.sh` runs promtool;
 * tests/integration/prometheus-scrape.test.ts runs every query on a real Prometheus.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { parse } from 'yaml';
import { metricNames, reconciliationMetricNames, roleMetricNames } from '../metrics/metrics-registry.js';
import { alertCases, dashboards, metricNamesIn, monitoringDir, panelQueries, panelsOf, rules, thresholdFreeOperands, withGrafanaIntervals } from './support/monitoring-files.js';

const root = resolve(monitoringDir, '..');
const histograms = ['clv_processing_duration_seconds', 'clv_api_request_duration_seconds'];

function knownMetricNames(): Set<string> {
  const processMetrics = new Registry();
  collectDefaultMetrics({ register: processMetrics, prefix: 'clv_' });
  const names = new Set<string>([...metricNames, ...roleMetricNames, ...reconciliationMetricNames, 'up', ...processMetrics.getMetricsAsArray().map((m) => m.name)]);
  // prom-client's typings call the type an enum; at run time it is the exposition's string.
  const processHistograms = processMetrics.getMetricsAsArray().filter((m) => String(m.type) === 'histogram').map((m) => m.name);
  for (const h of [...histograms, ...processHistograms]) {
    for (const suffix of ['_bucket', '_count', '_sum']) names.add(h + suffix);
  }
  for (const r of rules()) if (r.kind === 'record') names.add(r.name);
  return names;
}

/** The lower-case anchor GitHub gives a markdown heading. */
function anchors(markdown: string): Set<string> {
  return new Set([...markdown.matchAll(/^#+\s+(.+)$/gm)].map(([, h]) => h.trim().toLowerCase().replace(/[^\w\- ]/g, '').replace(/ /g, '-')));
}

test('every rule and dashboard query reads metrics the code defines or recording rules the files define', () => {
  const known = knownMetricNames();
  const reads = [
    ...rules().map((r) => ({ where: `${r.kind} ${r.name}`, expr: r.expr })),
    ...panelQueries().map((q) => ({ where: `${q.dashboard} / ${q.panel} / ${q.refId}`, expr: q.expr })),
  ];
  assert.ok(reads.length > 40, `${reads.length} expressions`);
  for (const { where, expr } of reads) {
    const names = metricNamesIn(expr);
    assert.ok(names.length > 0, `${where} reads no metric: ${expr}`);
    for (const name of names) assert.ok(known.has(name), `${where} reads ${name}, which nothing defines`);
  }
});

test('recording rules follow level:metric:operation, are defined once, and come before the alerts that read them', () => {
  const all = rules();
  const records = all.filter((r) => r.kind === 'record');
  assert.equal(new Set(records.map((r) => r.name)).size, records.length, 'no recording rule defined twice');
  for (const r of records) assert.match(r.name, /^[a-z_]+:[a-z0-9_]+:[a-z0-9_]+$/, r.name);
  // Alerts read recording rules of their own group, evaluated just before them.
  for (const alert of all.filter((r) => r.kind === 'alert')) {
    for (const name of metricNamesIn(alert.expr).filter((n) => n.includes(':'))) {
      const record = all.find((r) => r.kind === 'record' && r.name === name)!;
      assert.equal(record.group, alert.group, `${alert.name} reads ${name} of group ${record.group}`);
      assert.ok(all.indexOf(record) < all.indexOf(alert), `${name} is recorded before ${alert.name}`);
    }
  }
});

test('every alert has a severity, a summary, a description and a runbook section in docs/monitoring.md', () => {
  const doc = readFileSync(join(root, 'docs', 'monitoring.md'), 'utf8');
  const sections = anchors(doc);
  const alerts = rules().filter((r) => r.kind === 'alert');
  assert.ok(alerts.length > 10, `${alerts.length} alerts`);
  assert.equal(new Set(alerts.map((a) => a.name)).size, alerts.length, 'alert names are unique');
  for (const a of alerts) {
    assert.ok(['critical', 'warning', 'info'].includes(a.labels.severity), `${a.name}: severity ${a.labels.severity}`);
    for (const key of ['summary', 'description', 'runbook']) assert.ok((a.annotations[key] ?? '').length > 20, `${a.name}: annotation ${key}`);
    const anchor = a.name.toLowerCase();
    assert.ok(a.annotations.runbook.startsWith(`docs/monitoring.md#${anchor} — `), `${a.name}: runbook points at docs/monitoring.md#${anchor}`);
    assert.ok(sections.has(anchor), `docs/monitoring.md has a section ${a.name}`);
  }
});

test('every alert has promtool unit tests where it fires and where it does not', () => {
  const cases = alertCases();
  const alerts = rules().filter((r) => r.kind === 'alert').map((r) => r.name);
  for (const name of alerts) {
    assert.ok(cases.some((c) => c.alertname === name && c.fires), `${name}: a test case where it fires`);
    assert.ok(cases.some((c) => c.alertname === name && !c.fires), `${name}: a test case where it stays silent`);
  }
  for (const c of cases) assert.ok(alerts.includes(c.alertname), `${c.file} tests an unknown alert ${c.alertname}`);
  // Each rule file is loaded by the test file of the same name.
  for (const file of new Set(rules().map((r) => r.file))) {
    const testFile = join(monitoringDir, 'tests', file.split('/').at(-1)!.replace(/\.yml$/, '.test.yml'));
    const doc = parse(readFileSync(testFile, 'utf8')) as { rule_files: string[] };
    assert.deepEqual(doc.rule_files.map((f) => resolve(join(monitoringDir, 'tests'), f)), [file]);
  }
});

test('dashboards: provisionable Grafana JSON on a Prometheus datasource variable, unique uids and panel ids', () => {
  const boards = dashboards();
  assert.deepEqual(boards.map((b) => b.json.uid).sort(), ['clv-api', 'clv-business', 'clv-models', 'clv-pipeline']);
  for (const { file, json } of boards) {
    assert.equal(json.schemaVersion, 42, `${file}: schemaVersion`);
    assert.ok(json.tags.includes('clv'), `${file}: tagged clv (the dashboards link to each other by tag)`);
    const datasource = json.templating.list.find((v: { name: string }) => v.name === 'datasource');
    assert.deepEqual([datasource?.type, datasource?.query], ['datasource', 'prometheus'], `${file}: a Prometheus datasource variable`);
    const panels = panelsOf(json);
    assert.equal(new Set(panels.map((p: any) => p.id)).size, panels.length, `${file}: panel ids unique`);
    for (const p of panels as any[]) {
      assert.ok(p.gridPos.x + p.gridPos.w <= 24, `${file} / ${p.title}: inside the 24-column grid`);
      if (p.type === 'row') continue;
      assert.ok(p.description, `${file} / ${p.title}: says what it shows`);
      assert.deepEqual(p.datasource, { type: 'prometheus', uid: '${datasource}' }, `${file} / ${p.title}: datasource variable`);
      assert.ok(p.targets.length > 0, `${file} / ${p.title}: has queries`);
      for (const t of p.targets) {
        assert.deepEqual(t.datasource, p.datasource, `${file} / ${p.title} / ${t.refId}`);
        assert.ok(thresholdFreeOperands(withGrafanaIntervals(t.expr, { rateInterval: '1m', interval: '15s', range: '1h' })).length > 0);
      }
    }
  }
});

test('docker-compose mounts what monitoring/ provides, and Grafana provisioning points at it', () => {
  const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8')) as { services: Record<string, { volumes?: string[]; command?: string[] }> };
  const mounts = (service: string) => (compose.services[service].volumes ?? []).filter((v) => v.startsWith('./')).map((v) => v.split(':'));
  for (const [host] of [...mounts('prometheus'), ...mounts('grafana')]) assert.ok(existsSync(join(root, host)), `${host} exists`);
  const config = compose.services.prometheus.command!.find((c) => c.startsWith('--config.file='))!.split('=')[1];
  const [, container] = mounts('prometheus').find(([, c]) => config.startsWith(c))!;
  assert.ok(existsSync(join(root, 'monitoring', config.slice(container.length))), `${config} is a file of monitoring/`);
  const provider = parse(readFileSync(join(monitoringDir, 'grafana', 'provisioning', 'dashboards', 'clv.yml'), 'utf8'));
  assert.ok(mounts('grafana').some(([host, c]) => host === './monitoring/grafana' && c === provider.providers[0].options.path), 'the dashboards folder is mounted where the provider reads');
});
