import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { cdnowAvailable, cdnowPath, cdnowSkipMessage } from './support/cdnow.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const FILE = 'CDNOW_sample.txt';
const skip = cdnowAvailable(FILE) ? false : cdnowSkipMessage(FILE);
const MODELS: readonly string[] = ['bgnbd', 'seasonal', 'prophet', 'lstm', 'ensemble'];

async function clvEvaluate(...args: string[]): Promise<{ code: number; stdout: string; stderr: string; out: string }> {
  const out = mkdtempSync(path.join(tmpdir(), 'clv-evaluate-'));
  const argv = ['--import', 'tsx', path.join(root, 'cli', 'clv.ts'), 'evaluate', '--input', cdnowPath(FILE), '--format', 'cdnow',
    '--calibration-end', '1997-09-30', '--holdout-end', '1998-06-30', '--out', out, ...args];
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, argv, { cwd: root });
    return { code: 0, stdout, stderr, out };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr, out };
  }
}

function readCsv(file: string): { header: string[]; rows: string[][] } {
  const [head, ...lines] = readFileSync(file, 'utf8').trimEnd().split('\n');
  return { header: head.split(','), rows: lines.map((l) => l.split(',')) };
}

let all: Awaited<ReturnType<typeof clvEvaluate>>;
let single: Awaited<ReturnType<typeof clvEvaluate>>;

before(async () => {
  if (skip) return;
  [all, single] = await Promise.all([clvEvaluate('--model', 'all', '--lstm-epochs', '2', '--seed', '3'), clvEvaluate()]);
});

test('--model all on CDNOW_sample: finite holdout metrics for every model, the backtest\'s champion as the headline', { skip }, () => {
  assert.equal(all.code, 0, all.stderr);
  const metrics = JSON.parse(readFileSync(path.join(all.out, 'metrics.json'), 'utf8'));
  for (const m of MODELS) {
    const h = metrics.models[m].holdout;
    for (const key of ['value_error', 'spearman_value', 'top_decile_capture', 'gini_value', 'mae_value', 'decile_mape', 'period_mape']) {
      assert.ok(Number.isFinite(h[key]), `${m}.${key} = ${h[key]}`);
    }
    assert.equal(h.months.length, 9, `${m}: October 1997 to June 1998`);
    assert.equal(h.actual_value_total, metrics.models.bgnbd.holdout.actual_value_total);
  }
  assert.ok(MODELS.includes(metrics.champion), metrics.champion);
  assert.deepEqual(metrics.holdout, metrics.models[metrics.champion].holdout);
  assert.ok(Math.abs(metrics.models.bgnbd.params.r - 0.243) < 0.001, 'BG/NBD parameters still reported (FHL 2005: r = 0.243)');
  assert.equal(metrics.models.bgnbd.holdout.predicted_purchases_total > 0, true);
  // Selection: three rolling-origin folds inside the calibration period, never the holdout.
  assert.deepEqual(metrics.backtest.folds.map((f: { calibration_end: string; window_end: string }) => [f.calibration_end, f.window_end]),
    [['1997-07-01', '1997-09-30'], ['1997-05-20', '1997-08-19'], ['1997-04-08', '1997-07-08']]);
  assert.ok(metrics.selection.reason.length > 0 && metrics.selection.table.some((r: { model: string }) => r.model === 'bgnbd'));
  const w = metrics.models.ensemble.weights;
  assert.ok(Object.values(w).every((x) => (x as number) >= 0) && Math.abs(Object.values(w).reduce((a: number, b) => a + (b as number), 0) - 1) < 1e-9, JSON.stringify(w));
  assert.equal(metrics.models.lstm.training.epochs <= 2, true);
});

test('--model all writes one predicted_value column per model, predicted_value being the champion\'s', { skip }, () => {
  const { header, rows } = readCsv(path.join(all.out, 'predictions.csv'));
  const { champion } = JSON.parse(readFileSync(path.join(all.out, 'metrics.json'), 'utf8'));
  for (const m of MODELS) assert.ok(header.includes(`predicted_value_${m}`), m);
  assert.equal(rows.length, 2357);
  const col = (name: string) => header.indexOf(name);
  for (const r of rows) {
    for (const m of MODELS) assert.ok(Number.isFinite(Number(r[col(`predicted_value_${m}`)])) && Number(r[col(`predicted_value_${m}`)]) >= 0);
    assert.equal(r[col('predicted_value')], r[col(`predicted_value_${champion}`)]);
  }
});

test('the default model stays BG/NBD: top-level holdout and predicted_value are its own', { skip }, () => {
  assert.equal(single.code, 0, single.stderr);
  const metrics = JSON.parse(readFileSync(path.join(single.out, 'metrics.json'), 'utf8'));
  assert.deepEqual(Object.keys(metrics.models).sort(), ['bgnbd', 'gamma_gamma']);
  assert.deepEqual(metrics.holdout, metrics.models.bgnbd.holdout);
  assert.ok(metrics.holdout.value_error < 0, 'BG/NBD under-forecasts the CDNOW holdout');
  const { header, rows } = readCsv(path.join(single.out, 'predictions.csv'));
  assert.deepEqual(header.slice(-2), ['segment', 'predicted_value_bgnbd']);
  for (const r of rows.slice(0, 50)) assert.equal(r[header.indexOf('predicted_value')], r[header.indexOf('predicted_value_bgnbd')]);
  // The same BG/NBD fit in both runs.
  const allMetrics = JSON.parse(readFileSync(path.join(all.out, 'metrics.json'), 'utf8'));
  assert.deepEqual(allMetrics.models.bgnbd.holdout, metrics.models.bgnbd.holdout);
});

test('bad flags exit with code 2, name the flag and write nothing', { skip }, async () => {
  for (const [args, flag] of [[['--model', 'arima'], '--model'], [['--validation-weeks', '0'], '--validation-weeks'], [['--lstm-epochs', 'x'], '--lstm-epochs'], [['--seed', '-1'], '--seed']] as const) {
    const r = await clvEvaluate(...args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, new RegExp(`${flag}.*CLV_INVALID_CONFIG`));
    assert.equal(existsSync(path.join(r.out, 'metrics.json')), false);
  }
});
