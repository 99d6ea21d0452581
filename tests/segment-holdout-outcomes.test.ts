import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Segment } from '../core/segmentation.js';
import { segmentHoldoutOutcomes } from '../evaluation/segment-holdout-outcomes.js';

test('per segment: customers, share who bought again in the holdout, mean holdout value', () => {
  const segments = new Map<string, Segment | null>([['A', 'high_value'], ['B', 'high_value'], ['C', 'lost'], ['D', null], ['E', 'lost'], ['F', 'lost'], ['G', 'lost']]);
  const holdout = new Map([['A', { purchaseDays: 2, valueMinor: 5000 }], ['B', { purchaseDays: 0, valueMinor: 0 }], ['C', { purchaseDays: 1, valueMinor: 1200 }], ['D', { purchaseDays: 9, valueMinor: 99_999 }]]);
  const outcomes = segmentHoldoutOutcomes(segments, (id) => holdout.get(id) ?? { purchaseDays: 0, valueMinor: 0 });
  assert.deepEqual(outcomes, [
    { segment: 'high_value', customers: 2, returnedShare: 0.5, meanValueMinor: 2500 },
    { segment: 'lost', customers: 4, returnedShare: 0.25, meanValueMinor: 300 },
  ]);
});
