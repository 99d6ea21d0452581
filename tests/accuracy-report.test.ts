/**
 * The accuracy figures the docs quote come from the benchmark's own file: docs/accuracy-benchmark.md
 * is what bench/accuracy/accuracy-report.ts makes of bench/results/accuracy-latest.json, and
 * the do-no-harm check and averages are computed as stated.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { accuracyMarkdown, averages, doNoHarmViolations, type AccuracyReport } from '../bench/accuracy/accuracy-report.js';

const file = new URL('../bench/results/accuracy-latest.json', import.meta.url);
const doc = new URL('../docs/accuracy-benchmark.md', import.meta.url);

test('docs/accuracy-benchmark.md is generated from bench/results/accuracy-latest.json, unedited', { skip: existsSync(file) ? false : 'no accuracy benchmark results yet (npm run bench:accuracy)' }, () => {
  const report = JSON.parse(readFileSync(file, 'utf8')) as AccuracyReport;
  assert.equal(readFileSync(doc, 'utf8'), accuracyMarkdown(report));
});

const figures = (valueError: number, spearman: number) => ({ value_error: valueError, spearman, purchases_error: null, gini: null, top_decile_capture: null, monthly_mape: null, wall_ms: null });
const report = (champion: string, c: [number, number], b: [number, number]): AccuracyReport => ({
  date: '2026-01-01T00:00:00Z', machine: { cpu: 'x', cores: 2, memoryGiB: 1, node: 'v20' }, wallMs: 1,
  scenarios: [{ name: 's', stresses: 's', calibrationEnd: '2023-12-31', holdoutEnd: '2024-12-31', champion, models: { bgnbd: figures(...b), [champion]: figures(...c) } }],
});

test('do no harm: a champion more than 2 points worse in |value error|, or 0.01 worse in Spearman, is reported', () => {
  assert.deepEqual(doNoHarmViolations(report('seasonal', [0.05, 0.40], [0.10, 0.40])), []);
  assert.deepEqual(doNoHarmViolations(report('seasonal', [-0.119, 0.40], [0.10, 0.40])), []);
  assert.equal(doNoHarmViolations(report('seasonal', [0.121, 0.40], [0.10, 0.40])).length, 1);
  assert.equal(doNoHarmViolations(report('seasonal', [0.05, 0.389], [0.10, 0.40])).length, 1);
  const a = averages(report('seasonal', [0.05, 0.41], [-0.10, 0.40]));
  assert.ok(Math.abs(a.bgnbdAbsValueError! - 0.10) < 1e-12 && Math.abs(a.championAbsValueError! - 0.05) < 1e-12);
});
