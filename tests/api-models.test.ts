import type { RetrainOutcome } from '../api/routes/models.js';
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ClvError, ErrorCodes } from '../core/errors.js';
import { BgNbdGammaGammaModel } from '../models/kinds/bgnbd-gamma-gamma-model.js';
import { apiFixture, bearer, type ApiFixture } from './support/api-fixture.js';

let f: ApiFixture;
let retrainBehaviour: () => Promise<RetrainOutcome> = async () => ({ version: 'v2', promoted: true, reason: 'no champion to beat' });
before(async () => {
  f = await apiFixture({ customers: 30, retrain: () => retrainBehaviour() });
});
after(() => f.app.close());

const get = (url: string) => f.app.inject({ url, headers: bearer(f.keys.read) });
const retrain = () => f.app.inject({ method: 'POST', url: '/v1/models/retrain', headers: bearer(f.keys.admin) });

test('lists the champion with its training time', async () => {
  const body = (await get('/v1/models')).json();
  assert.equal(body.champion, 'cdnow-fhl-2005');
  assert.deepEqual(body.models, [{ version: 'cdnow-fhl-2005', kind: 'bgnbd-gamma-gamma', status: 'champion', trained_at: '2024-07-01T00:00:00.000Z', period_days: 7, horizon_days: 365 }]);
});

test('a version shows its published CDNOW parameters, thresholds and metrics', async () => {
  const body = (await get('/v1/models/cdnow-fhl-2005')).json();
  assert.deepEqual(body.params.bgnbd, { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 });
  assert.deepEqual(body.params.gamma_gamma, { p: 6.25, q: 3.74, gamma: 15.44 });
  assert.equal(body.thresholds.high_clv_minor, f.model.thresholds.highClvMinor);
  assert.equal(body.metrics['holdout.mape'], 0.12);
});

test('404 for an unknown version, 400 for a malformed one', async () => {
  const missing = await get('/v1/models/v999');
  assert.equal(missing.statusCode, 404);
  assert.equal(missing.json().error.code, 'API_MODEL_NOT_FOUND');
  const bad = await get('/v1/models/a%20b');
  assert.equal(bad.statusCode, 400);
  assert.match(bad.json().error.message, /params\/version/);
});

test('a retired version stays listed after a new champion is promoted', async () => {
  const next = BgNbdGammaGammaModel.fromJSON({ ...f.model.toJSON(), version: 'v2' });
  f.pipeline.useModel(next);
  f.readModel.recordModel(next, { trainedAtMs: Date.UTC(2024, 7, 1) });
  try {
    const body = (await get('/v1/models')).json();
    assert.equal(body.champion, 'v2');
    assert.deepEqual(body.models.map((m: { version: string; status: string }) => [m.version, m.status]), [['v2', 'champion'], ['cdnow-fhl-2005', 'retired']]);
  } finally {
    f.pipeline.useModel(f.model);
  }
});

test('retrain (admin) answers with the new version and whether it was promoted', async () => {
  retrainBehaviour = async () => ({ version: 'v3', promoted: false, reason: 'holdout MAE 10.2 vs champion 10.1: not 1% better' });
  const res = await retrain();
  assert.equal(res.statusCode, 200);
  assert.deepEqual(res.json(), { version: 'v3', promoted: false, reason: 'holdout MAE 10.2 vs champion 10.1: not 1% better' });
});

test('a second retrain while one runs is 409', async () => {
  let finish!: () => void;
  retrainBehaviour = () => new Promise((resolve) => { finish = () => resolve({ version: 'v4', promoted: true, reason: 'beat the champion' }); });
  const first = retrain();
  await new Promise((r) => setTimeout(r, 20));
  const second = await retrain();
  assert.equal(second.statusCode, 409);
  assert.equal(second.json().error.code, 'API_RETRAIN_IN_PROGRESS');
  finish();
  assert.equal((await first).statusCode, 200);
});

test('a retrain the data cannot support is 409 with the reason; an unexpected failure a bare 500', async () => {
  retrainBehaviour = async () => { throw new ClvError(ErrorCodes.INSUFFICIENT_DATA, 'only 3 customers with repeat purchases'); };
  const cannot = await retrain();
  assert.equal(cannot.statusCode, 409);
  assert.deepEqual(cannot.json(), { error: { code: 'API_CANNOT_TRAIN', message: 'only 3 customers with repeat purchases' } });
  retrainBehaviour = async () => { throw new Error('ENOSPC: no space left on /var/lib/clv/models'); };
  const failed = await retrain();
  assert.equal(failed.statusCode, 500);
  assert.deepEqual(failed.json(), { error: { code: 'API_INTERNAL', message: 'internal error' } });
});
