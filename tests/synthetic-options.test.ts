import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_SYNTHETIC_HISTORY_OPTIONS, minorPerMajorOf, resolveSyntheticHistoryOptions } from '../producers/synthetic/options.js';

describe('synthetic history options', () => {
  it('default model parameters are the CDNOW estimates of Fader-Hardie-Lee 2005 and Fader-Hardie 2013', () => {
    const o = resolveSyntheticHistoryOptions();
    assert.deepEqual(o.bgnbd, { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 });
    assert.deepEqual(o.gammaGamma, { p: 6.25, q: 3.74, gamma: 15.44 });
    assert.equal(o.customers, 20_000);
  });

  it('merges nested groups field by field over the defaults', () => {
    const o = resolveSyntheticHistoryOptions({ bgnbd: { r: 0.5 }, noise: { duplicateRate: 0.2 } });
    assert.equal(o.bgnbd.r, 0.5);
    assert.equal(o.bgnbd.alpha, DEFAULT_SYNTHETIC_HISTORY_OPTIONS.bgnbd.alpha);
    assert.equal(o.noise.duplicateRate, 0.2);
    assert.equal(o.noise.lateRate, DEFAULT_SYNTHETIC_HISTORY_OPTIONS.noise.lateRate);
  });

  it('derives minor units per major unit from the currency unless given', () => {
    assert.equal(minorPerMajorOf('USD'), 100);
    assert.equal(minorPerMajorOf('JPY'), 1);
    assert.equal(minorPerMajorOf('KWD'), 1000);
    assert.equal(resolveSyntheticHistoryOptions({ currency: 'VND' }).minorPerMajor, 1);
    assert.equal(resolveSyntheticHistoryOptions({ currency: 'VND', minorPerMajor: 100 }).minorPerMajor, 100);
  });

  it('returns a frozen object', () => {
    const o = resolveSyntheticHistoryOptions();
    assert.ok(Object.isFrozen(o) && Object.isFrozen(o.bgnbd) && Object.isFrozen(o.noise));
  });

  it('rejects invalid input with a RangeError naming the field', () => {
    const bad: Array<[Parameters<typeof resolveSyntheticHistoryOptions>[0], RegExp]> = [
      [{ customers: 0 }, /customers/],
      [{ customers: 1.5 }, /customers/],
      [{ seed: 0.5 }, /seed/],
      [{ start: '2024-02-01', end: '2024-01-01' }, /after/],
      [{ start: '2024-02-30' }, /no such date/],
      [{ currency: 'usd' }, /currency/],
      [{ timeZone: 'Mars/Olympus' }, /Mars/],
      [{ bgnbd: { alpha: 0 } }, /bgnbd\.alpha/],
      [{ gammaGamma: { q: -1 } }, /gammaGamma\.q/],
      [{ noise: { lateRate: 1.5 } }, /noise\.lateRate/],
      [{ lifecycle: { refundRate: -0.1 } }, /lifecycle\.refundRate/],
      [{ seasonality: { monthWeights: [1, 2, 3] } }, /monthWeights/],
      [{ seasonality: { hourWeights: new Array<number>(24).fill(0) } }, /hourWeights/],
      [{ acquisition: { growth: 0 } }, /growth/],
    ];
    for (const [input, message] of bad) assert.throws(() => resolveSyntheticHistoryOptions(input), message, JSON.stringify(input));
  });
});
