import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bgNbdLikelihoodData, bgNbdNegativeLogLikelihood } from '../models/bgnbd/bgnbd-likelihood.js';
import { rfmColumns } from '../models/rfm-columns.js';
import { withNumericalGradient } from '../models/optimize/numerical-gradient.js';
import { cdnowSampleCalibration, CDNOW_SAMPLE } from './support/cdnow-fits.js';
import { cdnowSkipMessage } from './support/cdnow.js';

const customers = [
  { frequency: 0, recency: 0, T: 38.86 },
  { frequency: 2, recency: 30.43, T: 38.86 },
  { frequency: 1, recency: 1.71, T: 38.86 },
  { frequency: 2, recency: 30.43, T: 38.86 },
  { frequency: 14, recency: 35, T: 36 },
  { frequency: 450, recency: 38, T: 38 }, // extreme: needs the max trick
  { frequency: 3, recency: 1e-6, T: 1e-5 }, // T tiny
];
const logPaper = [Math.log(0.243), Math.log(4.414), Math.log(0.793), Math.log(2.426)];

test('analytic gradient matches central differences of the likelihood', () => {
  const data = bgNbdLikelihoodData(rfmColumns(customers));
  for (const theta of [logPaper, [0, 1, -1, 2], [-3, 3, 1, -1]]) {
    const x = Float64Array.from(theta);
    const exact = new Float64Array(4);
    const approx = new Float64Array(4);
    bgNbdNegativeLogLikelihood(x, data, exact);
    withNumericalGradient((v) => bgNbdNegativeLogLikelihood(v, data))(x, approx);
    for (let j = 0; j < 4; j++) {
      assert.ok(Math.abs(exact[j] - approx[j]) <= 1e-6 * Math.max(1, Math.abs(exact[j])), `θ = ${theta}, ∂${j}: ${exact[j]} vs ${approx[j]}`);
    }
  }
});

test('weights are the same as repeated rows', () => {
  const compressed = bgNbdLikelihoodData(rfmColumns(customers));
  const plain = bgNbdLikelihoodData(rfmColumns(customers, { compress: false }));
  assert.ok(compressed.frequency.length < plain.frequency.length);
  const a = bgNbdNegativeLogLikelihood(logPaper, compressed);
  const b = bgNbdNegativeLogLikelihood(logPaper, plain);
  assert.ok(Math.abs(a - b) < 1e-10 * Math.abs(b));
});

test('stays finite for x in the hundreds, t_x = T and tiny T', () => {
  const data = bgNbdLikelihoodData(rfmColumns(customers));
  const g = new Float64Array(4);
  const v = bgNbdNegativeLogLikelihood([5, -5, 4, -4], data, g);
  assert.ok(Number.isFinite(v));
  for (const d of g) assert.ok(Number.isFinite(d));
});

test('matches Fader-Hardie-Lee 2005 CDNOW log-likelihood −9582.4 at the lifetimes optimum', (t) => {
  const cdnow = cdnowSampleCalibration();
  if (cdnow === null) return t.skip(cdnowSkipMessage(CDNOW_SAMPLE));
  const theta = [0.242594, 4.413603, 0.792922, 2.425906].map(Math.log);
  const ll = -bgNbdNegativeLogLikelihood(theta, bgNbdLikelihoodData(cdnow.rfm));
  assert.ok(Math.abs(ll - -9582.429) < 1e-2, `LL = ${ll}`);
});
