/**
 * `npm run bench:accuracy [-- --scenarios a,b] [-- --check]`: every model of `clv evaluate
 * --model all` (BG/NBD + Gamma-Gamma, its seasonal form, Prophet-shaped, the LSTM, the
 * ensemble) and the champion the backtest selects, on every shop of accuracy-scenarios.ts.
 * Writes bench/results/accuracy-latest.json and docs/accuracy-benchmark.md (the table the
 * docs quote; tests/accuracy-report.test.ts checks the document matches the file).
 *
 * --check: exit 1 when the champion breaks "do no harm" on a scenario run (|value error| more
 * than 2 points above BG/NBD's, or Spearman more than 0.01 below): what CI runs on a subset.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dayIndexOfDate } from '../../core/calendar.js';
import { loadConfig } from '../../config/config.js';
import { runModelEvaluation, type EvaluatedModel } from '../../evaluation/model-evaluation-run.js';
import { trainingSettingsFrom } from '../../models/kinds/train-customer-value-model.js';
import { accuracyMarkdown, doNoHarmViolations, type AccuracyReport, type ScenarioResult } from './accuracy-report.js';
import { SCENARIOS } from './accuracy-scenarios.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const args = process.argv.slice(2);
const only = args.includes('--scenarios') ? args[args.indexOf('--scenarios') + 1].split(',') : null;
const check = args.includes('--check');
const dataDir = process.env.CLV_DATA_DIR ?? resolve(root, '..', 'shared', 'data');
const unknown = (only ?? []).filter((n) => !SCENARIOS.some((s) => s.name === n));
if (unknown.length > 0) {
  console.error(`bench:accuracy: unknown scenario(s) ${unknown.join(', ')} (known: ${SCENARIOS.map((s) => s.name).join(', ')})`);
  process.exit(2);
}

const config = loadConfig({});
const started = new Date();
const results: ScenarioResult[] = [];
for (const scenario of SCENARIOS.filter((s) => only === null || only.includes(s.name))) {
  const data = scenario.load(dataDir);
  if ('skipped' in data) {
    console.log(`${scenario.name}: skipped (${data.skipped})`);
    results.push({ name: scenario.name, stresses: scenario.stresses, calibrationEnd: scenario.calibrationEnd, holdoutEnd: scenario.holdoutEnd, skipped: data.skipped });
    continue;
  }
  const t0 = performance.now();
  const r = await runModelEvaluation(data, dayIndexOfDate(scenario.calibrationEnd), dayIndexOfDate(scenario.holdoutEnd), {
    model: 'all',
    training: { ...trainingSettingsFrom(config, 'bench'), periodDays: 7 },
    holidays: config.holidays,
    lstm: { maxEpochs: 40, seed: 1, logger: { info: () => {} } },
  });
  const wallMs = Math.round(performance.now() - t0);
  const models: ScenarioResult['models'] = {};
  for (const [m, d] of r.details) {
    const h = r.metrics.get(m);
    models[m] = h === undefined
      ? { failed: String(d.failed) }
      : {
          value_error: h.value_error, purchases_error: h.purchases_error, spearman: h.spearman_value, gini: h.gini_value, top_decile_capture: h.top_decile_capture,
          monthly_mape: h.period_mape, wall_ms: typeof d.wall_ms === 'number' ? d.wall_ms : null,
        };
  }
  const result: ScenarioResult = {
    name: scenario.name, stresses: scenario.stresses, calibrationEnd: scenario.calibrationEnd, holdoutEnd: scenario.holdoutEnd,
    customers: r.holdout.customerIds.length, calibrationDays: r.holdout.cutDay - r.holdout.firstDay + 1,
    champion: r.champion as EvaluatedModel, selectionReason: r.selection!.reason, ensembleWeights: r.backtest?.ensemble_weights ?? null,
    backtestFolds: r.backtest?.folds.length ?? 0, models, wallMs,
  };
  results.push(result);
  const c = models[result.champion!];
  const b = models.bgnbd;
  const fmt = (v: number | null | undefined) => (v === null || v === undefined ? 'n/a' : `${(100 * v).toFixed(1)}%`);
  console.log(`${scenario.name}: champion ${result.champion} (${fmt(c && 'value_error' in c ? c.value_error : null)}; BG/NBD ${fmt(b && 'value_error' in b ? b.value_error : null)}) in ${(wallMs / 1000).toFixed(0)} s — ${result.selectionReason}`);
}

const report: AccuracyReport = {
  date: started.toISOString(),
  machine: { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version },
  wallMs: Math.round(Date.now() - started.getTime()),
  scenarios: results,
};
const violations = doNoHarmViolations(report);
if (only === null) {
  mkdirSync(join(root, 'bench', 'results'), { recursive: true });
  writeFileSync(join(root, 'bench', 'results', 'accuracy-latest.json'), JSON.stringify(report, null, 2) + '\n');
  writeFileSync(join(root, 'docs', 'accuracy-benchmark.md'), accuracyMarkdown(report));
  console.log(`written: bench/results/accuracy-latest.json, docs/accuracy-benchmark.md (${(report.wallMs / 1000).toFixed(0)} s)`);
}
for (const v of violations) console.log(`do-no-harm: ${v}`);
if (check && violations.length > 0) process.exit(1);
