import { test } from 'node:test';
import assert from 'node:assert/strict';
import { selectChampion, type FoldScore } from '../evaluation/model-selection.js';

const folds = (...errors: number[]): FoldScore[] => errors.map((e) => ({ valueError: e, spearman: 0.4, mae: 10 }));

test('BG/NBD stays the champion unless a model beats it by the margin on most folds', () => {
  const s = selectChampion([
    { model: 'bgnbd', folds: folds(0.1, -0.1, 0.1) },
    { model: 'seasonal', folds: folds(0.095, -0.095, 0.095) }, // 0.5 point better: not enough
  ]);
  assert.equal(s.champion, 'bgnbd');
  assert.match(s.table.find((r) => r.model === 'seasonal')!.why, /not 1 point/);
});

test('a model better by more than the margin on a majority of folds wins; one lucky fold does not', () => {
  const lucky = selectChampion([
    { model: 'bgnbd', folds: folds(0.1, 0.1, 0.1) },
    { model: 'seasonal', folds: folds(0.0, 0.12, 0.12) }, // mean 8% < 9%, but better on 1 of 3
  ]);
  assert.equal(lucky.champion, 'bgnbd');
  const better = selectChampion([
    { model: 'bgnbd', folds: folds(0.2, 0.2, 0.1) },
    { model: 'seasonal', folds: folds(0.05, 0.05, 0.12) },
    { model: 'ensemble', folds: folds(0.06, 0.06, 0.11) },
  ]);
  assert.equal(better.champion, 'seasonal');
  assert.match(better.reason, /seasonal beat bgnbd/);
});

test('do no harm: a model that ranks customers worse or has a larger customer error is not chosen', () => {
  const worseRanks = selectChampion([
    { model: 'bgnbd', folds: folds(0.2, 0.2, 0.2) },
    { model: 'lstm', folds: folds(0.01, 0.01, 0.01).map((f) => ({ ...f, spearman: 0.3 })) },
  ]);
  assert.equal(worseRanks.champion, 'bgnbd');
  const worseMae = selectChampion([
    { model: 'bgnbd', folds: folds(0.2, 0.2, 0.2) },
    { model: 'lstm', folds: folds(0.01, 0.01, 0.01).map((f) => ({ ...f, mae: 11 })) },
  ]);
  assert.equal(worseMae.champion, 'bgnbd');
});

test('a model that failed on a fold is left out; when BG/NBD itself failed the best complete model wins', () => {
  const s = selectChampion([
    { model: 'bgnbd', folds: folds(0.2, 0.2) },
    { model: 'seasonal', folds: [...folds(0.01), null] },
  ]);
  assert.equal(s.champion, 'bgnbd');
  assert.match(s.table.find((r) => r.model === 'seasonal')!.why, /could not be fitted on 1 of 2 folds/);
  const noBaseline = selectChampion([
    { model: 'bgnbd', folds: [null, null] },
    { model: 'seasonal', folds: folds(0.1, 0.1) },
    { model: 'ensemble', folds: folds(0.2, 0.2) },
  ]);
  assert.equal(noBaseline.champion, 'seasonal');
  assert.throws(() => selectChampion([{ model: 'bgnbd', folds: [null] }]), /no model could be fitted/);
});
