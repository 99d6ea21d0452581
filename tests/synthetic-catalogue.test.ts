import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildLineItems, CATALOGUE, CO_OCCURRENCE, CATEGORY_POPULARITY } from '../producers/synthetic/catalogue.js';
import { createRng } from '../producers/synthetic/prng.js';

const index = (name: string): number => CATALOGUE.findIndex((c) => c.name === name);

describe('synthetic catalogue', () => {
  it('has one popularity weight and one co-occurrence row and column per category', () => {
    assert.equal(CATEGORY_POPULARITY.length, CATALOGUE.length);
    assert.equal(CO_OCCURRENCE.length, CATALOGUE.length);
    for (const row of CO_OCCURRENCE) assert.equal(row.length, CATALOGUE.length);
    assert.equal(new Set(CATALOGUE.map((c) => c.code)).size, CATALOGUE.length);
  });

  it('line items add up exactly to the amount, with 1–4 lines, quantity ≥ 1 and unit price ≥ 0', () => {
    const rng = createRng(1);
    const names = new Set(CATALOGUE.map((c) => c.name));
    for (const amount of [1, 2, 3, 7, 99, 100, 3_521, 12_345, 999_999]) {
      for (let i = 0; i < 500; i++) {
        const items = buildLineItems(rng, amount, 3_500, i % CATALOGUE.length);
        assert.ok(items.length >= 1 && items.length <= 4);
        assert.equal(items.reduce((s, li) => s + li.quantity * li.unit_price_minor, 0), amount);
        for (const li of items) {
          assert.ok(Number.isInteger(li.quantity) && li.quantity >= 1);
          assert.ok(Number.isInteger(li.unit_price_minor) && li.unit_price_minor >= 0);
          assert.ok(names.has(li.category));
          assert.match(li.sku, /^[A-Z]{4}-\d{4}$/);
        }
      }
    }
  });

  it('larger orders have more lines on average', () => {
    const rng = createRng(2);
    const meanLines = (amount: number): number => {
      let s = 0;
      for (let i = 0; i < 5000; i++) s += buildLineItems(rng, amount, 3_500, 0).length;
      return s / 5000;
    };
    assert.ok(meanLines(10_000) > meanLines(1_000) + 0.5);
  });

  it('co-occurrence is real cross-sell structure: electronics orders carry accessories far more often than books', () => {
    const rng = createRng(3);
    const elec = index('electronics');
    let accessories = 0;
    let books = 0;
    for (let i = 0; i < 20_000; i++) {
      const items = buildLineItems(rng, 20_000, 3_500, elec);
      if (items[0].category !== 'electronics') continue;
      for (const li of items.slice(1)) {
        if (li.category === 'accessories') accessories++;
        if (li.category === 'books') books++;
      }
    }
    assert.ok(accessories > 10 * books, `accessories ${accessories}, books ${books}`);
  });

  it('the first line is usually in the customer’s favourite category', () => {
    const rng = createRng(4);
    let hits = 0;
    for (let i = 0; i < 10_000; i++) if (buildLineItems(rng, 2_000, 3_500, index('home'))[0].category === 'home') hits++;
    // 0.6 by preference + 0.4 × popularity 0.08.
    assert.ok(Math.abs(hits / 10_000 - 0.632) < 0.02, `favourite share ${hits / 10_000}`);
  });
});
