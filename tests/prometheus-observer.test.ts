import { test } from 'node:test';
import assert from 'node:assert/strict';
import { metricsRegistry } from '../api/metrics.js';
import { prometheusObserver } from '../cli/prometheus-observer.js';
import { Topics } from '../core/topics.js';

async function value(name: string, labels: Record<string, string>): Promise<number> {
  const metric = (await metricsRegistry.getMetricsAsJSON()).find((m) => m.name === name);
  const v = (metric?.values as Array<{ labels: Record<string, string>; value: number }> | undefined)?.find((x) => Object.entries(labels).every(([k, l]) => x.labels[k] === l));
  return v?.value ?? 0;
}

test('batch summaries become Prometheus counters: events in/out per topic, dead letters by code, scores by model version', async () => {
  const before = {
    in: await value('clv_events_in_total', { topic: Topics.orders }),
    out: await value('clv_events_out_total', { topic: Topics.scores }),
    dead: await value('clv_dead_letters_total', { reason: 'CLV_UNDECODABLE' }),
    scores: await value('clv_scores_total', { model_version: 'v7' }),
  };
  prometheusObserver(() => 'v7')({
    processor: 'clv-scoring',
    messagesIn: { [Topics.orders]: 5 },
    messagesOut: { [Topics.scores]: 3, [Topics.deadLetter]: 1 },
    deadLetters: { CLV_UNDECODABLE: 1 },
    seconds: 0.01,
  });
  assert.equal(await value('clv_events_in_total', { topic: Topics.orders }), before.in + 5);
  assert.equal(await value('clv_events_out_total', { topic: Topics.scores }), before.out + 3);
  assert.equal(await value('clv_dead_letters_total', { reason: 'CLV_UNDECODABLE' }), before.dead + 1);
  assert.equal(await value('clv_scores_total', { model_version: 'v7' }), before.scores + 3);
});
