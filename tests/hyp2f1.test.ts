import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hyp2f1 } from '../models/special-functions/hyp2f1.js';
import { readFixture, relativeError } from './support/fixtures.js';

interface Case { a: number; b: number; c: number; z: number; value: number; scipy: number | string; case: string }
const fixture = readFixture<{ cases: Case[] }>('hyp2f1.json');

for (const kind of new Set(fixture.cases.map((c) => c.case))) {
  test(`matches mpmath (and scipy.special.hyp2f1 where scipy is right) to 1e-10: ${kind}`, () => {
    for (const c of fixture.cases.filter((x) => x.case === kind)) {
      const v = hyp2f1(c.a, c.b, c.c, c.z);
      assert.ok(relativeError(v, c.value) < 1e-10, `2F1(${c.a}, ${c.b}; ${c.c}; ${c.z}) = ${v}, expected ${c.value}`);
    }
  });
}

test('agrees with scipy to 1e-10 wherever scipy agrees with mpmath', () => {
  let compared = 0;
  for (const c of fixture.cases) {
    if (typeof c.scipy !== 'number' || relativeError(c.scipy, c.value) > 1e-11) continue;
    compared++;
    assert.ok(relativeError(hyp2f1(c.a, c.b, c.c, c.z), c.scipy) < 1e-10);
  }
  assert.ok(compared > 300);
});

test('closed forms: 2F1(1,1;2;z) = −ln(1−z)/z and 2F1(a,b;b;z) = (1−z)^−a (A&S 15.1.3, 15.1.8)', () => {
  for (const z of [-50, -3, -0.7, 0.2, 0.5, 0.75, 0.99, 0.999999]) {
    // c − a − b = 0 here: the logarithmic case, interpolated in c (~1e-12).
    assert.ok(relativeError(hyp2f1(1, 1, 2, z), -Math.log1p(-z) / z) < 1e-11, `z = ${z}`);
    assert.ok(relativeError(hyp2f1(0.37, 2.5, 2.5, z), Math.pow(1 - z, -0.37)) < 1e-12, `z = ${z}`);
  }
});

test('is 1 at z = 0 and when a or b is 0', () => {
  assert.equal(hyp2f1(2, 3, 4, 0), 1);
  assert.equal(hyp2f1(0, 3, 4, 0.9), 1);
});

test('rejects z > 1, a pole in c, and the divergent z = 1', () => {
  assert.throws(() => hyp2f1(1, 1, 2, 1.5), RangeError);
  assert.throws(() => hyp2f1(1, 1, -2, 0.5), RangeError);
  assert.throws(() => hyp2f1(1, 1, 1.5, 1), RangeError);
});

test('stays finite for BG/NBD arguments with x in the hundreds and z next to 1', () => {
  const [r, a, b] = [0.243, 0.793, 2.426];
  for (const x of [0, 300, 5000]) {
    for (const z of [1e-12, 0.5, 0.999, 1 - 1e-12]) {
      const v = hyp2f1(a + b - 1 - r, a - 1, a + b + x - 1, z);
      assert.ok(Number.isFinite(v) && v > 0, `x = ${x}, z = ${z}: ${v}`);
    }
  }
});
