import { test } from 'node:test';
import assert from 'node:assert/strict';
import { digamma, gammaSign, logAbsGamma, sinPi } from '../models/special-functions/gamma-function.js';
import { readFixture } from './support/fixtures.js';

interface Case { x: number; logAbsGamma: number; digamma: number }
const { cases } = readFixture<{ cases: Case[] }>('gamma-function.json');

test('ln|Γ| matches mpmath to 1e-13 (absolute below 1, relative above)', () => {
  for (const c of cases) {
    const err = Math.abs(logAbsGamma(c.x) - c.logAbsGamma) / Math.max(1, Math.abs(c.logAbsGamma));
    assert.ok(err < 1e-13, `x = ${c.x}: ${logAbsGamma(c.x)} vs ${c.logAbsGamma}`);
  }
});

test('ψ matches mpmath to 1e-13 (absolute below 1, relative above)', () => {
  for (const c of cases) {
    const err = Math.abs(digamma(c.x) - c.digamma) / Math.max(1, Math.abs(c.digamma));
    assert.ok(err < 1e-13, `x = ${c.x}: ${digamma(c.x)} vs ${c.digamma}`);
  }
});

test('Γ has poles at 0, −1, −2, …: ln|Γ| = +∞, sign 0, ψ NaN', () => {
  for (const x of [0, -1, -7]) {
    assert.equal(logAbsGamma(x), Infinity);
    assert.equal(gammaSign(x), 0);
    assert.ok(Number.isNaN(digamma(x)));
  }
});

test('sign of Γ alternates on the negative intervals', () => {
  assert.equal(gammaSign(2.5), 1);
  assert.equal(gammaSign(-0.5), -1);
  assert.equal(gammaSign(-1.5), 1);
  assert.equal(gammaSign(-2.5), -1);
});

test('ln Γ(n) = ln (n−1)! exactly enough for factorials', () => {
  let f = 1;
  for (let n = 1; n < 20; n++) {
    f *= n;
    assert.ok(Math.abs(logAbsGamma(n + 1) - Math.log(f)) < 1e-13 * Math.max(1, Math.log(f)));
  }
});

test('sinPi is exact at integers and half-integers', () => {
  assert.equal(sinPi(3), 0);
  assert.equal(sinPi(-4), 0);
  assert.equal(sinPi(0.5), 1);
  assert.equal(sinPi(-2.5), -1);
  assert.ok(Math.abs(sinPi(1 / 6) - 0.5) < 1e-16);
});
