import { SCENARIOS } from '../bench/accuracy/accuracy-scenarios.js';
import { runModelEvaluation } from '../evaluation/model-evaluation-run.js';
import { dayIndexOfDate } from '../core/calendar.js';
import { loadConfig } from '../config/config.js';
import { trainingSettingsFrom } from '../models/kinds/train-customer-value-model.js';
const c = loadConfig({});
for (const name of process.argv[2].split(',')) {
  const s = SCENARIOS.find((x) => x.name === name)!;
  const data = s.load('../shared/data');
  if ('skipped' in data) continue;
  const t0 = performance.now();
  const r = await runModelEvaluation(data, dayIndexOfDate(s.calibrationEnd), dayIndexOfDate(s.holdoutEnd), { model: (process.argv[3] ?? 'all') as 'all', training: { ...trainingSettingsFrom(c, 'b'), periodDays: 7 }, holidays: c.holidays, lstm: { maxEpochs: 40, seed: 1, logger: { info() {} } } });
  console.log(`== ${name} (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
  for (const [m, h] of r.metrics) console.log(m.padEnd(9), (100 * h.value_error!).toFixed(1).padStart(6), h.spearman_value?.toFixed(3), (100 * h.period_mape!).toFixed(1), r.details.get(m)?.wall_ms);
  for (const [m, d] of r.details) if (d.failed) console.log(m, 'FAILED', d.failed);
  console.log(r.champion, '|', r.selection?.reason, r.backtest?.ensemble_weights);
  if (r.backtest) for (const [k, v] of Object.entries(r.backtest.models)) console.log('  ', k.padEnd(9), v.map((f) => ('failed' in f ? 'failed' : `${(100 * f.value_error!).toFixed(1)}% ${f.spearman_value?.toFixed(3)}`)).join(' | '));
  if (r.backtest) console.log('  folds', r.backtest.folds.map((f) => `${f.calibration_end}..${f.window_end}`).join(', '));
}
