import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { latestScoreRows } from '../core/analyst-latest.js';
import { dayIndexer } from '../core/calendar.js';
import { loadConfig } from '../config/config.js';
import { fileDemoHistory, syntheticDemoHistory } from '../app/demo/demo-history.js';
import { runDemo } from '../app/demo/run-demo.js';
import { BgNbdGammaGammaModel } from '../models/kinds/bgnbd-gamma-gamma-model.js';
import { createLogger } from '../app/logger.js';
import { readTransactionFile } from '../producers/transaction-file.js';
import { generateSyntheticHistory } from '../producers/synthetic/synthetic-history.js';
import { summarizeHistory } from '../processors/features/customer-purchase-history.js';
import { indexCategoryStatistics } from '../core/recommendations/category-index.js';
import type { OrderEvent } from '../core/events.js';
import { Topics } from '../core/topics.js';
import { cdnowPath, cdnowSkipMessage } from './support/cdnow.js';

const config = loadConfig({});
const quiet = createLogger('silent');

test('embedded demo on a synthetic shop: features reconcile exactly with the ground truth, bad input is dead-lettered', async () => {
  const options = { customers: 1500, seed: 11, currency: 'USD', timeZone: 'UTC', minorPerUnit: 100 };
  const { report, embedded, revenueForecasts, model, segmentsAtCalibrationEnd } = await runDemo(config, syntheticDemoHistory(options), quiet);
  const truth = generateSyntheticHistory({ ...options, minorPerMajor: 100, start: '2023-01-01', end: '2025-06-30' }).truth;

  assert.equal(report.deadLetters.total, report.deadLetters.injected, 'every injected invalid message, and nothing else');
  // Every customer's purchase days and value, after duplicates, reordering, late payments,
  // cancellations and refunds, equal what the generator says really happened.
  const seen = new Set<string>();
  for await (const page of embedded.pipeline.stores.histories.scan(1000)) {
    for (const [id, history] of page) {
      const summary = summarizeHistory(history);
      const expected = truth.byId.get(id)!.purchases;
      assert.equal(summary?.purchaseDays ?? 0, expected.length, `${id} purchase days`);
      assert.equal(summary?.totalValueMinor ?? 0, expected.reduce((s, p) => s + p.valueMinor, 0), `${id} value`);
      seen.add(id);
    }
  }
  const buyers = truth.customers.filter((c) => c.purchases.length > 0);
  assert.ok(buyers.length > 1000, `${buyers.length} buyers`);
  for (const c of buyers) assert.ok(seen.has(c.customerId), `${c.customerId} has features`);

  // The model learnt something: holdout totals in the right range, rank correlation positive.
  const h = report.holdout;
  assert.ok(Math.abs(h.predictedValueTotal / h.actualValueTotal - 1) < 0.25, `value error ${h.predictedValueTotal} vs ${h.actualValueTotal}`);
  assert.ok((h.value.spearman ?? 0) > 0.2, `spearman ${h.value.spearman}`);
  assert.ok(Object.keys(report.segments).length >= 4, JSON.stringify(report.segments));
  assert.ok(report.segmentChangesDuringHoldout > 0);
  // The segments mean something: customers the model called high value at the calibration end
  // came back most in the holdout, lost ones (quiet repeat buyers and lapsed one-time buyers) least.
  const back = Object.fromEntries((report.segmentOutcomes ?? []).map((o) => [o.segment, o.returnedShare]));
  assert.ok(back.high_value > back.at_risk && back.at_risk > back.lost, JSON.stringify(report.segmentOutcomes));
  assert.equal((report.segmentOutcomes ?? []).reduce((n, o) => n + o.customers, 0), [...segmentsAtCalibrationEnd.values()].filter((s) => s !== null).length);

  // Recommendations: the category structure the generator plants (electronics come with
  // accessories, apparel with accessories) is what the statistics stored with the model find.
  const stats = indexCategoryStatistics(model.categoryStatistics!);
  // For a given A, lift(A → B) ranks as orders(A ∧ B) / orders(B).
  const partner = (a: string) => [...stats.neighbours.get(a)!].sort((x, y) => y[1] / stats.byName.get(y[0])!.orders - x[1] / stats.byName.get(x[0])!.orders)[0][0];
  assert.equal(partner('electronics'), 'accessories');
  assert.equal(partner('apparel'), 'accessories');
  const rec = report.recommendations!;
  for (const action of ['cross_sell', 'upsell', 'win_back']) assert.ok((rec.byAction[action]?.withCategories ?? 0) > 0, `${action}: ${JSON.stringify(rec.byAction)}`);
  assert.equal(rec.byAction.upsell.withCategories, rec.byAction.upsell.customers, 'every upsell names a category and a price floor');

  // Prophet: the total and every segment with enough revenue history, each served by the read model.
  assert.equal(revenueForecasts.series[0].key, 'total');
  assert.ok(revenueForecasts.series.length >= 3, JSON.stringify(revenueForecasts.skipped));
  for (const s of revenueForecasts.series) assert.ok((await embedded.readModel.revenueForecast(s.key === 'total' ? undefined : s.key))!.points.length > 0, s.key);
  for (const s of revenueForecasts.skipped) assert.equal(await embedded.readModel.revenueForecast(s.key === 'total' ? undefined : s.key), null, s.key);
  const total = revenueForecasts.series[0].holdout!;
  assert.ok(Math.abs(total.totalRelativeError!) < 0.2, `total revenue over the holdout off by ${total.totalRelativeError}`);

  // The analytics sink ran beside the processors, as `clv run` runs it: every event of every
  // topic is a row of its table, once (the broker-like stream repeats some inputs).
  const { analytics, log, codec } = embedded;
  const decoded = async <T>(topic: string): Promise<T[]> => {
    const out: T[] = [];
    for (const m of log.read(topic)) out.push(...await codec.decode(topic, m.value!).then((v) => [v as T], () => []));
    return out;
  };
  const distinct = <T extends { event_id: string }>(events: T[]) => [...new Map(events.map((e) => [e.event_id, e])).values()];
  const orders = distinct(await decoded<OrderEvent>(Topics.orders));
  const rows = {
    orders: orders.length,
    order_line_items: orders.reduce((n, o) => n + o.line_items.length, 0),
    payments: distinct(await decoded<{ event_id: string }>(Topics.payments)).length,
    purchases: log.read(Topics.purchases).length,
    customer_features: log.read(Topics.features).length,
    clv_scores: log.read(Topics.scores).length,
    segment_changes: log.read(Topics.segmentChanges).length,
    dead_letters: report.deadLetters.total,
    model_runs: 1,
    // The demo runs no anomaly watch: nothing on clv.anomalies.v1.
    commerce_anomalies: log.read(Topics.anomalies).length,
    erasures: 0,
  };
  assert.ok(rows.orders < log.read(Topics.orders).length - report.deadLetters.total, 'the stream repeats some orders');
  assert.deepEqual(report.streaming.analyticsRows, rows);
  // The training run recorded its version, then its promotion (the table keeps the latest row per version).
  const runs = analytics.rows('model_runs').filter((r) => r.version === 'v1');
  assert.deepEqual(runs.map((r) => r.status), ['champion']);
  assert.ok(runs.every((r) => r.kind === report.training.model.kind), `model runs record the champion's kind ${report.training.model.kind}`);
  // Each customer's latest score row (as the analysts' views pick it: by sequence, withdrawn
  // scores left out) is the score the scoring state holds; a customer whose every order was
  // voided has neither.
  const latest = latestScoreRows(analytics.rows('clv_scores'));
  let scored = 0;
  for await (const page of embedded.pipeline.stores.scores.scan(1000)) {
    for (const [id, s] of page) {
      if (s.features.purchase_days === 0) {
        assert.deepEqual([s.segment, latest.get(id)], [null, undefined], id);
        continue;
      }
      scored++;
      assert.deepEqual([latest.get(id)?.segment, latest.get(id)?.clv_minor], [s.segment, s.clvMinor], id);
    }
  }
  assert.equal(latest.size, scored);
  // Purchases: the latest revision of each order carries the net revenue the features hold.
  const net = (await analytics.purchasesAsOf(Infinity)).filter((p) => p.status === 'ACTIVE').reduce((a, p) => a + p.net_amount_minor, 0);
  let featuresNet = 0;
  for await (const page of embedded.pipeline.stores.histories.scan(1000)) for (const [, hist] of page) featuresNet += summarizeHistory(hist)?.totalValueMinor ?? 0;
  assert.equal(net, featuresNet);
  // One population per report: the segment table of the calibration end counts exactly the
  // customers the model was fitted on (some possibly not scored yet), no more, no fewer.
  const outcomes = report.segmentOutcomes!.reduce((a, o) => a + o.customers, 0);
  assert.equal(outcomes + report.training.unscoredAtCalibrationEnd, report.training.customers);
  assert.equal(segmentsAtCalibrationEnd.size, report.training.customers);
  // The segments are as of the data's end, after the closing sweep: no one is older than it.
  for await (const page of embedded.pipeline.stores.scores.scan(1000)) {
    for (const [id, s] of page) if (s.features.purchase_days > 0) assert.ok(s.asOfMs !== null && s.asOfMs >= Date.parse(`${report.segmentsAsOf}T23:59:59.999Z`), id);
  }
});

test('streaming CDNOW_sample through the pipeline trains the published Fader-Hardie-Lee 2005 parameters', async (t) => {
  const path = cdnowPath('CDNOW_sample.txt');
  if (!existsSync(path)) return t.skip(cdnowSkipMessage('CDNOW_sample.txt'));
  const transactions = readTransactionFile(path, { format: 'cdnow', minorPerUnit: 100, dayOf: dayIndexer('UTC') });
  const history = fileDemoHistory(transactions, { source: 'sample', currency: 'USD', timeZone: 'UTC', calibrationEnd: '1997-09-30', holdoutEnd: '1998-06-30' });
  const { model, report } = await runDemo(config, history, quiet);
  // Selection keeps BG/NBD + Gamma-Gamma on CDNOW (nothing beat it on the backtest), so the
  // streamed features reproduce the published fit.
  assert.equal(model.kind, 'bgnbd-gamma-gamma', report.training.selection.reason);
  assert.ok(model instanceof BgNbdGammaGammaModel);
  const { r, alpha, a, b } = model.bgnbd.params;
  assert.deepEqual([r, alpha, a, b].map((v) => Number(v.toFixed(3))), [0.243, 4.414, 0.793, 2.426]);
  const { p, q, gamma } = model.gammaGamma.params;
  assert.deepEqual([p, q, gamma].map((v) => Number(v.toFixed(2))), [6.25, 3.74, 15.44]);
  assert.equal(report.training.customers, 2357);
  assert.equal(report.deadLetters.total, 0);
});
