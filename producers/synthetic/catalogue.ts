/**
 * A small product catalogue and the line items of an order. Categories sit in price tiers
 * and co-occur (a phone comes with a case, a novel with a soundtrack), and each customer has
 * a favourite category, so cross-sell rules mined from the stream find real structure.
 * The order's amount comes from Gamma-Gamma; line items are shaped to add up to it exactly.
 */
import type { LineItem } from '../../core/events.js';
import { cumulative, intBelow, logNormal, pickCumulative, poisson } from './distributions.js';
import type { Rng } from './prng.js';

export type PriceTier = 'budget' | 'mid' | 'premium';

export interface Category {
  name: string;
  /** SKU prefix. */
  code: string;
  tier: PriceTier;
  /** Typical unit price, major units; sets how the order amount is split between lines. */
  typicalPriceMajor: number;
  /** Distinct SKUs; popularity within a category is skewed towards low numbers. */
  skus: number;
}

export const CATALOGUE: readonly Category[] = Object.freeze([
  { name: 'books', code: 'BOOK', tier: 'budget', typicalPriceMajor: 14, skus: 120 },
  { name: 'music', code: 'MUSC', tier: 'budget', typicalPriceMajor: 12, skus: 150 },
  { name: 'movies', code: 'MOVI', tier: 'budget', typicalPriceMajor: 18, skus: 90 },
  { name: 'accessories', code: 'ACCS', tier: 'mid', typicalPriceMajor: 25, skus: 60 },
  { name: 'apparel', code: 'APRL', tier: 'mid', typicalPriceMajor: 35, skus: 80 },
  { name: 'beauty', code: 'BEAU', tier: 'mid', typicalPriceMajor: 22, skus: 50 },
  { name: 'home', code: 'HOME', tier: 'mid', typicalPriceMajor: 45, skus: 70 },
  { name: 'electronics', code: 'ELEC', tier: 'premium', typicalPriceMajor: 120, skus: 40 },
].map((c) => Object.freeze(c as Category)));

/** How often each category is a customer's favourite (and an order's first line). */
export const CATEGORY_POPULARITY: readonly number[] = Object.freeze([0.22, 0.2, 0.14, 0.1, 0.1, 0.08, 0.08, 0.08]);

/**
 * CO_OCCURRENCE[i][j]: relative chance that an order whose first line is category i has a
 * further line in category j. Rows follow CATALOGUE; strong pairs are the cross-sell signal.
 */
export const CO_OCCURRENCE: readonly (readonly number[])[] = Object.freeze([
  //  books music movies accs apparel beauty home elec
  [6, 3, 2, 0.3, 0.2, 0.2, 0.5, 0.1], // books → more books, music
  [2, 6, 3, 0.8, 0.2, 0.1, 0.2, 0.5], // music → movies, books
  [2, 3, 6, 0.5, 0.2, 0.1, 0.3, 0.6], // movies → music
  [0.3, 0.5, 0.3, 3, 2, 1, 0.5, 1.5], // accessories → apparel, electronics
  [0.2, 0.2, 0.2, 4, 3, 2, 0.3, 0.1], // apparel → accessories, beauty
  [0.2, 0.2, 0.1, 1.5, 2, 4, 0.5, 0.1], // beauty → apparel
  [0.5, 0.3, 0.3, 0.5, 0.3, 0.5, 4, 2], // home → electronics
  [0.2, 0.5, 0.5, 6, 0.1, 0.1, 1, 1], // electronics → accessories
].map((row) => Object.freeze(row)));

const coCum = CO_OCCURRENCE.map((row) => cumulative(row));
const popularityCum = cumulative(CATEGORY_POPULARITY);

/** Chance that an order's first line is in the customer's favourite category. */
const FAVOURITE_SHARE = 0.6;

function skuOf(rng: Rng, c: Category): string {
  // u² skews towards low SKU numbers: a few best-sellers per category, a long tail.
  const u = rng();
  return `${c.code}-${String(Math.floor(u * u * c.skus) + 1).padStart(4, '0')}`;
}

/**
 * 1–4 line items adding up to exactly `amountMinor`. Larger orders (relative to
 * `meanAmountMinor`) tend to have more lines. Each line gets a share of the amount in
 * proportion to its category's typical price; quantities above 1 divide their share, and the
 * last line (quantity 1) absorbs the rounding so the sum is exact.
 */
export function buildLineItems(rng: Rng, amountMinor: number, meanAmountMinor: number, favouriteCategory: number): LineItem[] {
  const first = rng() < FAVOURITE_SHARE ? favouriteCategory : pickCumulative(rng, popularityCum);
  const lines = 1 + Math.min(3, poisson(rng, 0.6 * Math.min(amountMinor / meanAmountMinor, 4)));
  const cats = [first];
  for (let i = 1; i < lines; i++) cats.push(pickCumulative(rng, coCum[first]));
  const weights = cats.map((c) => CATALOGUE[c].typicalPriceMajor * logNormal(rng, 0, 0.3));
  const totalWeight = weights.reduce((s, w) => s + w, 0);
  const items: LineItem[] = [];
  let remaining = amountMinor;
  for (let i = 0; i < lines; i++) {
    const c = CATALOGUE[cats[i]];
    const last = i === lines - 1;
    const share = last ? remaining : Math.floor((amountMinor * weights[i]) / totalWeight);
    // Bulk buys of cheap items: quantity 2–3 sometimes, only where it divides sensibly.
    const quantity = !last && c.tier === 'budget' && share >= 2 && rng() < 0.25 ? 2 + intBelow(rng, 2) : 1;
    const unit = Math.floor(share / quantity);
    items.push({ sku: skuOf(rng, c), category: c.name, quantity, unit_price_minor: unit });
    remaining -= unit * quantity;
  }
  return items;
}
