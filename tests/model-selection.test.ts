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

test('a model with a part no fold could fit qualifies when it does no harm on the folds; one that beat BG/NBD outright comes first', () => {
  const yearly = 'its yearly cycle (730 days of history needed, 365 before the latest origin)';
  const untested = selectChampion([
    { model: 'bgnbd', folds: folds(0.2, 0.1, 0.1) },
    { model: 'seasonal', folds: folds(0.205, 0.1, 0.1), untested: yearly }, // half a point worse: within the margin
  ]);
  assert.equal(untested.champion, 'seasonal');
  assert.match(untested.reason, /could not fit its yearly cycle/);
  assert.match(untested.table.find((r) => r.model === 'seasonal')!.why, /does no harm/);
  // Without the flag the same scores keep BG/NBD.
  assert.equal(selectChampion([{ model: 'bgnbd', folds: folds(0.2, 0.1, 0.1) }, { model: 'seasonal', folds: folds(0.205, 0.1, 0.1) }]).champion, 'bgnbd');

  const harmful = selectChampion([
    { model: 'bgnbd', folds: folds(0.2, 0.1, 0.1) },
    { model: 'seasonal', folds: folds(0.25, 0.1, 0.1), untested: yearly }, // 1.7 points worse
  ]);
  assert.equal(harmful.champion, 'bgnbd');
  assert.match(harmful.table.find((r) => r.model === 'seasonal')!.why, /more than 1 point\(s\) above/);
  const ranksWorse = selectChampion([
    { model: 'bgnbd', folds: folds(0.2, 0.1, 0.1) },
    { model: 'seasonal', folds: folds(0.2, 0.1, 0.1).map((f) => ({ ...f, spearman: 0.38 })), untested: yearly },
  ]);
  assert.equal(ranksWorse.champion, 'bgnbd');

  const outright = selectChampion([
    { model: 'bgnbd', folds: folds(0.2, 0.2, 0.2) },
    { model: 'seasonal', folds: folds(0.2, 0.2, 0.205), untested: yearly },
    { model: 'ensemble', folds: folds(0.1, 0.1, 0.1) },
  ]);
  assert.equal(outright.champion, 'ensemble', 'the ensemble beat BG/NBD on what the folds could test; the seasonal model only did no harm there');
});
