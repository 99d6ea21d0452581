/**
 * `npm run bench:grid [-- --seeds 11,12,13,21,22,23] [-- --customers 10000] [-- --workers 2]`: the
 * champion against BG/NBD + Gamma-Gamma on a grid of shops the accuracy benchmark never
 * looked at — four seasons (a November–December peak, a January–February one, a summer one,
 * none), 20 to 36 months of calibration ending on the last day of March, June, September or
 * December, a 12-month holdout, six seeds — with the same selection `clv evaluate
 * --model champion` runs. Writes bench/results/grid-latest.json and prints the summary
 * (shop-grid-report.ts). Not part of `npm test` (384 shops take minutes).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { dayIndexOfDate } from '../../core/calendar.js';
import { loadConfig } from '../../config/config.js';
import { runModelEvaluation } from '../../evaluation/model-evaluation-run.js';
import { purchaseDaysByCustomer } from '../../evaluation/model-evaluation-window.js';
import { holdoutMetrics } from '../../models/metrics/holdout-metrics.js';
import { trainingSettingsFrom } from '../../models/kinds/train-customer-value-model.js';
import { FLAT_SEASONALITY, type SyntheticHistoryInput } from '../../producers/synthetic/options.js';
import { generateSyntheticHistory } from '../../producers/synthetic/synthetic-history.js';
import { LUNAR_NEW_YEAR_MONTHS, QUIET } from './accuracy-scenarios.js';
import { gridShops, gridSummary, shopName, type GridResult, type GridShop } from './shop-grid-report.js';

/** The seasons: the generator's default retail year, and shapes no scenario of the accuracy benchmark has. */
const SEASONS: Readonly<Record<string, SyntheticHistoryInput>> = {
  december: {},
  'january-february': { seasonality: { monthWeights: LUNAR_NEW_YEAR_MONTHS, blackFridayBoost: 1 } },
  summer: { seasonality: { monthWeights: [0.8, 0.8, 0.9, 0.95, 1.05, 1.3, 1.45, 1.2, 0.95, 0.9, 0.85, 0.85], blackFridayBoost: 1 } },
  flat: { seasonality: FLAT_SEASONALITY },
};
const config = loadConfig({});

interface Job {
  shops: GridShop[];
  customers: number;
}

async function evaluateShop(shop: GridShop, customers: number): Promise<GridResult> {
  const h = generateSyntheticHistory({ customers, seed: shop.seed, noise: QUIET, start: shop.start, end: shop.holdoutEnd, ...SEASONS[shop.season] });
  const byCustomer = purchaseDaysByCustomer(h.truth.purchases.map((p) => ({ customerId: p.customerId, day: p.day, amountMinor: p.valueMinor })));
  const r = await runModelEvaluation(byCustomer, dayIndexOfDate(shop.calibrationEnd), dayIndexOfDate(shop.holdoutEnd), {
    model: 'champion',
    training: { ...trainingSettingsFrom(config, 'grid'), periodDays: 7 },
    holidays: config.holidays,
    lstm: { maxEpochs: 40, seed: 1, logger: { info: () => {} } },
  });
  const champion = r.metrics.get(r.headline)!;
  if (r.bgnbdForecast === null) throw new Error(`${shopName(shop)}: BG/NBD could not be fitted`);
  const b = holdoutMetrics(r.bgnbdForecast.values, r.holdout.actualValue);
  return {
    ...shop, customers: r.holdout.customerIds.length, champion: r.headline,
    bgnbd: { valueError: b.aggregateRelativeError!, spearman: b.spearman },
    championFigures: { valueError: champion.value_error!, spearman: champion.spearman_value },
  };
}

if (!isMainThread) {
  const job = workerData as Job;
  for (const shop of job.shops) parentPort!.postMessage(await evaluateShop(shop, job.customers));
} else {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
  const args = process.argv.slice(2);
  const flag = (name: string, fallback: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
  const seeds = flag('--seeds', '11,12,13,21,22,23').split(',').map(Number);
  const customers = Number(flag('--customers', '10000'));
  const workers = Number(flag('--workers', String(Math.max(1, Math.min(2, cpus().length)))));
  for (const [name, ok] of [['--seeds', seeds.every((s) => Number.isInteger(s))], ['--customers', Number.isInteger(customers) && customers >= 100], ['--workers', Number.isInteger(workers) && workers >= 1]] as const) {
    if (!ok) {
      console.error(`bench:grid: ${name} is not valid (seeds: integers separated by commas; customers ≥ 100; workers ≥ 1)`);
      process.exit(2);
    }
  }
  const shops = gridShops(Object.keys(SEASONS), [20, 24, 30, 36], [3, 6, 9, 12], seeds);
  const started = new Date();
  const results: GridResult[] = [];
  await Promise.all(Array.from({ length: workers }, (_, w) => new Promise<void>((done, fail) => {
    const worker = new Worker(fileURLToPath(import.meta.url), { workerData: { shops: shops.filter((_, i) => i % workers === w), customers } satisfies Job });
    worker.on('message', (r: GridResult) => {
      results.push(r);
      const p = (v: number) => `${(100 * v).toFixed(1)}%`;
      console.log(`${String(results.length).padStart(3)}/${shops.length} ${shopName(r).padEnd(38)} champion ${r.champion.padEnd(8)} ${p(r.championFigures.valueError).padStart(6)}; BG/NBD ${p(r.bgnbd.valueError).padStart(6)}`);
    });
    worker.on('error', fail);
    worker.on('exit', (code) => (code === 0 ? done() : fail(new Error(`grid worker exited with ${code}`))));
  })));
  const order = new Map(shops.map((s, i) => [shopName(s), i]));
  results.sort((a, b) => order.get(shopName(a))! - order.get(shopName(b))!);
  const summary = gridSummary(results);
  const report = {
    date: started.toISOString(),
    machine: { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version },
    wallMs: Date.now() - started.getTime(), customers, seeds, summary, shops: results,
  };
  mkdirSync(join(root, 'bench', 'results'), { recursive: true });
  writeFileSync(join(root, 'bench', 'results', 'grid-latest.json'), JSON.stringify(report, null, 2) + '\n');
  const p = (v: number) => `${(100 * v).toFixed(2)}%`;
  console.log(`${summary.shops} shops in ${(report.wallMs / 1000).toFixed(0)} s; mean |value error|: champion ${p(summary.meanAbsValueError.champion)}, BG/NBD ${p(summary.meanAbsValueError.bgnbd)}`);
  console.log(`champion: ${Object.entries(summary.championCounts).map(([m, n]) => `${m} ${n}`).join(', ')}; within ±10%: champion ${summary.withinTenPercent.champion}, BG/NBD ${summary.withinTenPercent.bgnbd}; more than 2 points better than BG/NBD on ${summary.gains}`);
  console.log(`do-no-harm broken on ${summary.harms.length}: ${summary.harms.map((h) => `${h.shop} (${p(h.champion)} vs ${p(h.bgnbd)}${h.spearmanBelow ? ', Spearman' : ''})`).join('; ') || 'none'}`);
  console.log('mean signed value error (mean |value error|) per season and end month, BG/NBD → champion:');
  for (const c of summary.byEndMonth) console.log(`  ${c.season.padEnd(17)} end ${String(c.endMonth).padStart(2)} (${c.shops} shops): ${p(c.meanError.bgnbd).padStart(7)} (${p(c.meanAbsError.bgnbd)}) → ${p(c.meanError.champion).padStart(7)} (${p(c.meanAbsError.champion)})`);
  if (summary.medianSeedSdOfBgNbdError !== null) console.log(`seed-to-seed sd of BG/NBD's value error in a cell (median): ${(100 * summary.medianSeedSdOfBgNbdError).toFixed(1)} points`);
  console.log('written: bench/results/grid-latest.json');
}
