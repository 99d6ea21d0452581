import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MIN_RETURN_GAPS, ReturnGapSample, rulesLapse, withOverrides } from '../core/one-time-buyer-lapse.js';

const rules = rulesLapse(90, 0.5, 0.2);

test("the rules' lapse is where their probability alive crosses the cut-offs", () => {
  // exp(−(s − 90)/90) = 0.5 at s = 90 (1 + ln 2) = 152.4; = 0.2 at 90 (1 + ln 5) = 234.8.
  assert.deepEqual(rules, { atRiskDays: 152, lostDays: 235, source: 'rules', returnGaps: 0 });
});

test('the lapse is the 80th and 95th percentile of the gaps between first and second purchase', () => {
  const sample = new ReturnGapSample();
  // 100 returners, acquired on day 0, back after 1…100 days; 300 one-time buyers. As of day 400 the window is 200 days.
  for (let g = 1; g <= 100; g++) sample.add(0, g);
  for (let i = 0; i < 300; i++) sample.add(0, null);
  assert.deepEqual(sample.lapse(400, rules), { atRiskDays: 81, lostDays: 96, source: 'return-gaps', returnGaps: 100 });
});

test('only customers who had the whole window to come back count, and only returns within it', () => {
  const sample = new ReturnGapSample();
  for (let g = 1; g <= 100; g++) sample.add(0, g);
  // Acquired late (day 350 of 400, window 200): their short gaps would bias the lapse short.
  for (let i = 0; i < 500; i++) sample.add(350, 352);
  // Came back after the window: beyond what every counted customer could show.
  for (let i = 0; i < 50; i++) sample.add(0, 300);
  assert.deepEqual(sample.lapse(400, rules), { atRiskDays: 81, lostDays: 96, source: 'return-gaps', returnGaps: 100 });
});

test('too few returns to learn from: the fallback', () => {
  const sample = new ReturnGapSample();
  for (let g = 1; g < MIN_RETURN_GAPS; g++) sample.add(0, g);
  assert.equal(sample.lapse(400, rules), rules);
  assert.equal(new ReturnGapSample().lapse(400, rules), rules);
});

test('lost always comes after at risk', () => {
  const sample = new ReturnGapSample();
  for (let i = 0; i < 100; i++) sample.add(0, 7);
  assert.deepEqual(sample.lapse(400, rules), { atRiskDays: 7, lostDays: 8, source: 'return-gaps', returnGaps: 100 });
});

test('configured days replace the learned ones, keeping lost after at risk', () => {
  const learned = { atRiskDays: 81, lostDays: 96, source: 'return-gaps' as const, returnGaps: 100 };
  assert.equal(withOverrides(learned, { atRiskDays: 0, lostDays: 0 }), learned);
  assert.deepEqual(withOverrides(learned, { atRiskDays: 30, lostDays: 60 }), { atRiskDays: 30, lostDays: 60, source: 'config', returnGaps: 100 });
  assert.deepEqual(withOverrides(learned, { atRiskDays: 120, lostDays: 0 }), { atRiskDays: 120, lostDays: 121, source: 'config', returnGaps: 100 });
  assert.deepEqual(withOverrides(learned, { atRiskDays: 0, lostDays: 50 }), { atRiskDays: 49, lostDays: 50, source: 'config', returnGaps: 100 });
});
