/**
 * The action for one scored customer and what it concretely suggests. Pure: (policy,
 * customer, shop-wide statistics) → recommendation.
 *
 * - win-back goes to valuable customers (historic value at or above the policy's threshold)
 *   whose probability alive has dropped: those of a segment mapped to win_back, and those of
 *   the policy's win-back segments below the at-risk threshold; a win-back segment's
 *   customers below the value threshold get the policy's "otherwise" rule;
 * - upsell names the favourite category and the floor of its next price tier;
 * - cross-sell names categories not yet bought, best lift first.
 * When nothing concrete can be suggested the action stays and the reason says why.
 */
import type { ActionPolicy, Action } from '../action-policy.js';
import type { CategorySpend, MinorUnits } from '../events.js';
import type { Segment } from '../segmentation.js';
import { indexCategoryStatistics } from './category-index.js';
import type { CategoryStatistics } from './category-statistics.js';
import { crossSellCandidates } from './cross-sell.js';
import { nextPriceTier } from './price-tiers.js';

export interface RecommendationInput {
  segment: Segment;
  pAlive: number;
  /** The model's at-risk probability-alive threshold. */
  atRiskPAlive: number;
  /** Sum of all purchase days, minor units. */
  totalValueMinor: MinorUnits;
  purchaseDays: number;
  categorySummary: readonly CategorySpend[];
  currency: string;
  /** Minor units per currency unit (100 for cents). */
  minorPerUnit: number;
  /** Set when a one-time buyer's silence, not the model, put them in the segment (core/segmentation.ts). */
  lapse?: OneTimeBuyerSilence | null;
}

export interface OneTimeBuyerSilence {
  segment: 'at_risk' | 'lost';
  /** Days since the only purchase day. */
  silentDays: number;
  /** The lapse threshold crossed, days. */
  afterDays: number;
}

/** Why a lapsed one-time buyer is where they are, in words. */
export function silenceText(l: OneTimeBuyerSilence): string {
  return `One purchase day, ${Math.floor(l.silentDays)} days ago: a one-time buyer silent ${l.afterDays} days or more counts as ${l.segment === 'lost' ? 'lost' : 'at risk'}.`;
}

export interface RecommendedAction {
  action: Action;
  reason: string;
  /** Categories to promote; may be empty. */
  categories: string[];
  /** Upsell price floor, minor units; 0 for none. */
  minUnitPriceMinor: MinorUnits;
}

/** `statistics` is null for a model without category statistics (the RFM rules, or data without categories). */
export function recommendAction(policy: ActionPolicy, c: RecommendationInput, statistics: CategoryStatistics | null): RecommendedAction {
  const rule = policy.segments[c.segment];
  const settings = policy.recommendations;
  const wb = settings.winBack;
  const dropped = rule.action === 'win_back' || (wb.segments.includes(c.segment) && c.pAlive < c.atRiskPAlive);
  if (dropped) {
    if (c.totalValueMinor >= wb.minHistoricValueMinor) {
      const reason = `${rule.action === 'win_back' ? rule.reason : 'Valuable customer slipping away: win back.'} ` +
        `Spent ${money(c.totalValueMinor, c)} over ${c.purchaseDays} purchase day${c.purchaseDays === 1 ? '' : 's'}` +
        (wb.minHistoricValueMinor > 0 ? ` (win-back threshold ${money(wb.minHistoricValueMinor, c)})` : '') +
        (c.lapse ? `. ${silenceText(c.lapse)}` : `; probability alive is ${c.pAlive.toFixed(2)} (at-risk below ${c.atRiskPAlive}).`);
      return { action: 'win_back', reason, categories: favourites(c.categorySummary).slice(0, settings.maxSuggestions), minUnitPriceMinor: 0 };
    }
    const reason = `${wb.otherwise.reason} Spent ${money(c.totalValueMinor, c)}, below the win-back threshold of ${money(wb.minHistoricValueMinor, c)}.` +
      (c.lapse ? ` ${silenceText(c.lapse)}` : '');
    return plain(wb.otherwise.action, reason);
  }
  if (rule.action === 'upsell') return upsell(policy, c, statistics, rule.reason);
  if (rule.action === 'cross_sell') return crossSell(policy, c, statistics, rule.reason, '');
  return plain(rule.action, rule.reason);
}

function plain(action: Action, reason: string): RecommendedAction {
  return { action, reason, categories: [], minUnitPriceMinor: 0 };
}

function upsell(policy: ActionPolicy, c: RecommendationInput, statistics: CategoryStatistics | null, base: string): RecommendedAction {
  const { priceTiers, fallbackToCrossSell } = policy.recommendations.upsell;
  const favourite = c.categorySummary.length > 0 ? c.categorySummary.reduce(betterFavourite) : null;
  const stat = favourite && statistics ? indexCategoryStatistics(statistics).byName.get(favourite.category) : undefined;
  if (favourite && stat && favourite.quantity > 0) {
    const typical = Math.round(favourite.spend_minor / favourite.quantity);
    const next = nextPriceTier(stat, typical, priceTiers);
    if (next) {
      const reason = `${base} Favourite category ${favourite.category} (${favourite.orders} order${favourite.orders === 1 ? '' : 's'}), ` +
        `typically ${money(typical, c)} a unit (price tier ${next.currentTier} of ${priceTiers}): tier ${next.nextTier} starts at ${money(next.floorMinor, c)}.`;
      return { action: 'upsell', reason, categories: [favourite.category], minUnitPriceMinor: next.floorMinor };
    }
    const why = `Already buys ${favourite.category} in its top price tier (typically ${money(typical, c)} a unit).`;
    if (fallbackToCrossSell) return crossSell(policy, c, statistics, 'Suggest complementary categories instead of a higher tier.', why);
    return plain('upsell', `${base} ${why}`);
  }
  const why = favourite ? `No price tiers known for ${favourite.category} yet.` : 'No category purchases known yet.';
  if (fallbackToCrossSell && favourite) return crossSell(policy, c, statistics, 'Suggest complementary categories instead.', why);
  return plain('upsell', `${base} ${why}`);
}

function crossSell(policy: ActionPolicy, c: RecommendationInput, statistics: CategoryStatistics | null, base: string, prefix: string): RecommendedAction {
  const lead = prefix ? `${prefix} ${base}` : base;
  const { maxSuggestions, crossSell: s } = policy.recommendations;
  const owned = c.categorySummary.map((x) => x.category);
  const found = statistics ? crossSellCandidates(owned, indexCategoryStatistics(statistics), s, maxSuggestions) : [];
  if (found.length === 0) {
    const why = statistics ? `No category co-occurs with theirs above lift ${s.minLift} in at least ${s.minPairOrders} orders yet.` : 'The model in use has no category statistics.';
    return plain('cross_sell', `${lead} ${why}`);
  }
  const rules = found.map((f) => `${f.category} (in ${Math.round(f.confidence * 100)}% of orders with ${f.because}, lift ${f.lift.toFixed(1)})`);
  return { action: 'cross_sell', reason: `${lead} Suggest ${rules.join(', ')}.`, categories: found.map((f) => f.category), minUnitPriceMinor: 0 };
}

/** Most ordered, then most spent, then name: independent of the summary's order. */
function betterFavourite(a: CategorySpend, b: CategorySpend): CategorySpend {
  if (a.orders !== b.orders) return a.orders > b.orders ? a : b;
  if (a.spend_minor !== b.spend_minor) return a.spend_minor > b.spend_minor ? a : b;
  return a.category <= b.category ? a : b;
}

function favourites(summary: readonly CategorySpend[]): string[] {
  return [...summary]
    .sort((a, b) => b.orders - a.orders || b.spend_minor - a.spend_minor || (a.category < b.category ? -1 : 1))
    .map((x) => x.category);
}

/** "1234.50 USD": minor units in the currency's units, as many decimals as the minor unit needs. */
function money(minor: number, c: { currency: string; minorPerUnit: number }): string {
  const decimals = Math.max(0, Math.round(Math.log10(c.minorPerUnit)));
  return `${(minor / c.minorPerUnit).toFixed(decimals)} ${c.currency}`;
}

/**
 * Whether two recommendations ask marketing for the same thing (action, categories, price
 * floor). The reason text is left out: it quotes figures such as probability alive that move
 * with every re-score, and republishing every customer for a wording change helps nobody.
 */
export function sameRecommendation(a: RecommendedAction | null | undefined, b: RecommendedAction | null | undefined): boolean {
  if (!a || !b) return !a && !b;
  return a.action === b.action && a.minUnitPriceMinor === b.minUnitPriceMinor &&
    a.categories.length === b.categories.length && a.categories.every((c, i) => c === b.categories[i]);
}
