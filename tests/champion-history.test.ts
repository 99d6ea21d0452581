import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PromotionRecord } from '../core/ports/model-registry.js';
import { championStack, previousChampion } from '../training/champion-history.js';

let n = 0;
const p = (version: string, reason: PromotionRecord['reason'] = 'training'): PromotionRecord => ({ version, reason, previous: null, promotedAt: new Date(Date.UTC(2026, 0, 1) + n++ * 1000).toISOString() });

test('rollback goes to the champion before the current one, and again to the one before that', () => {
  const log = [p('A'), p('B'), p('C')];
  assert.equal(previousChampion(log, 'C'), 'B');
  log.push(p('B', 'rollback'));
  assert.deepEqual(championStack(log), ['A', 'B']);
  assert.equal(previousChampion(log, 'B'), 'A', 'not back to C');
  log.push(p('A', 'rollback'));
  assert.equal(previousChampion(log, 'A'), null);
});

test('a version rolled away from and promoted again counts again', () => {
  const log = [p('A'), p('B'), p('A', 'rollback'), p('B', 'manual'), p('C')];
  assert.deepEqual(championStack(log), ['A', 'B', 'C']);
  assert.equal(previousChampion(log, 'C'), 'B');
});

test('no history, or only the current champion: nothing to roll back to', () => {
  assert.equal(previousChampion([], null), null);
  assert.equal(previousChampion([p('A')], 'A'), null);
});
