import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gammaGammaNegativeLogLikelihood } from '../models/gamma-gamma/gamma-gamma-likelihood.js';
import { spendColumns } from '../models/rfm-columns.js';
import { withNumericalGradient } from '../models/optimize/numerical-gradient.js';
import { cdnowSampleCalibration, CDNOW_SAMPLE } from './support/cdnow-fits.js';
import { cdnowSkipMessage } from './support/cdnow.js';

const customers = [
  { frequency: 1, monetaryValue: 11.77 },
  { frequency: 2, monetaryValue: 22.345 },
  { frequency: 2, monetaryValue: 22.345 },
  { frequency: 7, monetaryValue: 40.5 },
  { frequency: 300, monetaryValue: 1e6 }, // extreme spend
  { frequency: 3, monetaryValue: 0.01 },
];

test('analytic gradient matches central differences', () => {
  const data = spendColumns(customers);
  for (const theta of [[Math.log(6.25), Math.log(3.74), Math.log(15.44)], [0, 0, 0], [2, -1, 5]]) {
    const x = Float64Array.from(theta);
    const exact = new Float64Array(3);
    const approx = new Float64Array(3);
    gammaGammaNegativeLogLikelihood(x, data, exact);
    withNumericalGradient((v) => gammaGammaNegativeLogLikelihood(v, data))(x, approx);
    for (let j = 0; j < 3; j++) {
      assert.ok(Math.abs(exact[j] - approx[j]) <= 1e-6 * Math.max(1, Math.abs(exact[j])), `θ = ${theta}, ∂${j}: ${exact[j]} vs ${approx[j]}`);
    }
  }
});

test('matches lifetimes GammaGammaFitter negative log-likelihood on CDNOW (4055.9177 at its optimum)', (t) => {
  const cdnow = cdnowSampleCalibration();
  if (cdnow === null) return t.skip(cdnowSkipMessage(CDNOW_SAMPLE));
  // lifetimes 0.11.3: _negative_log_likelihood_ × 946 at p=6.249572, q=3.744225, v=15.443521.
  const nll = gammaGammaNegativeLogLikelihood([6.249572, 3.744225, 15.443521].map(Math.log), cdnow.spend);
  assert.ok(Math.abs(nll - 4055.9177) < 1e-3, `NLL = ${nll}`);
});
