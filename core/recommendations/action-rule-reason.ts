/**
 * Why the customers of a segment get an action, in the policy's own words: the reason a
 * marketer reads beside a count of customers. Per customer, the recommendation's reason says
 * more (figures, categories); this is what the whole group has in common, following the
 * branches of recommend-action.ts:
 * - the segment's rule, when the action is the segment's;
 * - win-back, which the policy gives only to customers who spent at least its threshold,
 *   also in its win-back segments (e.g. lost) once probability alive has dropped;
 * - the win-back rule's "otherwise", below the threshold;
 * - cross-sell in place of upsell, when there is no higher price tier to offer.
 */
import type { Action, ActionPolicy } from '../action-policy.js';
import type { Segment } from '../segmentation.js';

export interface MoneyFormat {
  currency: string;
  /** Minor units per currency unit (100 for cents). */
  minorPerUnit: number;
}

export function actionRuleReason(policy: ActionPolicy, segment: Segment, action: Action, format: MoneyFormat): string {
  const rule = policy.segments[segment];
  const wb = policy.recommendations.winBack;
  const threshold = money(wb.minHistoricValueMinor, format);
  const hasThreshold = wb.minHistoricValueMinor > 0;
  // Segments where a dropped probability alive makes the spend decide between win-back and "otherwise".
  const winBackSegment = rule.action === 'win_back' || wb.segments.includes(segment);
  if (action === 'win_back') {
    const who = hasThreshold ? ` Only customers who spent at least ${threshold} in total (the policy's win-back threshold).` : '';
    return rule.action === 'win_back'
      ? `${rule.reason}${who}`
      : `Valuable customers slipping away: probability alive below the model's at-risk threshold.${who}`;
  }
  if (winBackSegment && action === wb.otherwise.action && (rule.action === 'win_back' || action !== rule.action)) {
    return hasThreshold ? `${wb.otherwise.reason} They spent less than ${threshold} in total (the policy's win-back threshold).` : wb.otherwise.reason;
  }
  if (winBackSegment && action === rule.action && hasThreshold) {
    return `${rule.reason} Those of them who spent at least ${threshold} in total and whose probability alive dropped below the at-risk threshold get win-back instead.`;
  }
  if (action === 'cross_sell' && rule.action === 'upsell') {
    return 'Cross-sell in place of upsell: they already buy their favourite category in its top price tier, or no price tiers are known for it. '
      + 'Suggest complementary categories.';
  }
  return rule.reason;
}

/** "200.00 USD", as recommendation reasons write money. */
function money(minor: number, f: MoneyFormat): string {
  const decimals = Math.max(0, Math.round(Math.log10(f.minorPerUnit)));
  return `${(minor / f.minorPerUnit).toFixed(decimals)} ${f.currency}`;
}
