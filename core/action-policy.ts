/**
 * Segment → recommended action, with the reason a marketer sees, and the settings that turn
 * an action into concrete suggestions (core/recommendations/). Loaded from a JSON file so
 * users can change the policy without code; validated so a typo fails at start-up.
 *
 * The "recommendations" section is optional: without it the defaults below apply (win-back
 * for every customer whose segment maps to it, and suggestions to cross-sell and upsell).
 */
import { ClvError, ErrorCodes } from './errors.js';
import { Segments, type Segment } from './segmentation.js';

export const Actions = ['upsell', 'cross_sell', 'win_back', 'nurture', 'none'] as const;
export type Action = (typeof Actions)[number];

export interface Recommendation {
  action: Action;
  reason: string;
}

export interface CrossSellSettings {
  /** Least share of all orders that contain both categories, 0..1. */
  minSupport: number;
  /** Least lift: how many times more often the pair co-occurs than if independent (> 0; 1 = independent). */
  minLift: number;
  /** Least number of orders with both categories: lift on a handful of orders is noise. */
  minPairOrders: number;
}

export interface UpsellSettings {
  /** Price tiers per category (quantiles of its unit prices), 2..20. */
  priceTiers: number;
  /** When the customer already buys the top tier (or no tiers are known): suggest cross-sell instead. */
  fallbackToCrossSell: boolean;
}

export interface WinBackSettings {
  /** Least historic value (sum of all purchase days) for a win-back, minor units. */
  minHistoricValueMinor: number;
  /**
   * Segments whose valuable customers get win-back whatever the segment's own action, when
   * their probability alive is below the at-risk threshold (e.g. "lost").
   */
  segments: Segment[];
  /** What a customer of a win-back segment gets below the value threshold. */
  otherwise: Recommendation;
}

export interface RecommendationSettings {
  /** Most categories one recommendation names, ≥ 1. */
  maxSuggestions: number;
  crossSell: CrossSellSettings;
  upsell: UpsellSettings;
  winBack: WinBackSettings;
}

export interface ActionPolicy {
  readonly segments: Readonly<Record<Segment, Recommendation>>;
  readonly recommendations: Readonly<RecommendationSettings>;
}

/** What a policy file without a "recommendations" section gets. */
export const DEFAULT_RECOMMENDATIONS: Readonly<RecommendationSettings> = Object.freeze<RecommendationSettings>({
  maxSuggestions: 3,
  crossSell: { minSupport: 0.001, minLift: 1.2, minPairOrders: 5 },
  upsell: { priceTiers: 4, fallbackToCrossSell: true },
  winBack: { minHistoricValueMinor: 0, segments: [], otherwise: { action: 'none', reason: 'Probability alive has dropped but historic value is low: no paid contact.' } },
});

type Fail = (why: string) => never;

/** Validates a parsed policy document; `source` names it in errors. */
export function parseActionPolicy(doc: unknown, source: string): ActionPolicy {
  const fail: Fail = (why) => {
    throw new ClvError(ErrorCodes.INVALID_POLICY, `action policy ${source}: ${why}`);
  };
  if (typeof doc !== 'object' || doc === null || !('segments' in doc)) fail('expected an object with "segments"');
  const { segments, recommendations, ...rest } = doc as { segments: unknown; recommendations?: unknown };
  // A misspelt section would silently take the defaults: refuse it ("$comment" and the like pass).
  const unknown = Object.keys(rest).filter((k) => !k.startsWith('$'));
  if (unknown.length > 0) fail(`unknown key "${unknown[0]}" (known: segments, recommendations)`);
  if (typeof segments !== 'object' || segments === null) fail('"segments" must be an object');
  const entries = segments as Record<string, unknown>;
  for (const name of Object.keys(entries)) {
    if (!(Segments as readonly string[]).includes(name)) fail(`unknown segment "${name}" (known: ${Segments.join(', ')})`);
  }
  const policy = {} as Record<Segment, Recommendation>;
  for (const segment of Segments) {
    if (entries[segment] === undefined) fail(`segment "${segment}" has no rule`);
    policy[segment] = parseRule(entries[segment], `segment "${segment}"`, fail);
  }
  return Object.freeze({
    segments: Object.freeze(policy),
    recommendations: recommendations === undefined ? DEFAULT_RECOMMENDATIONS : parseRecommendations(recommendations, fail),
  });
}

function parseRule(value: unknown, where: string, fail: Fail): Recommendation {
  const { action, reason } = (typeof value === 'object' && value !== null ? value : {}) as { action?: unknown; reason?: unknown };
  if (typeof action !== 'string' || !(Actions as readonly string[]).includes(action)) {
    fail(`${where}: action must be one of ${Actions.join(', ')}, got ${JSON.stringify(action)}`);
  }
  if (typeof reason !== 'string' || reason.trim() === '') fail(`${where}: reason must be a non-empty string`);
  return Object.freeze({ action: action as Action, reason: reason as string });
}

/** A section: every key known, missing keys take the default. */
function section(value: unknown, where: string, defaults: object, fail: Fail): Record<string, unknown> {
  if (value === undefined) return { ...defaults };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(`${where} must be an object`);
  for (const key of Object.keys(value as object)) {
    if (!(key in defaults)) fail(`${where}: unknown setting "${key}" (known: ${Object.keys(defaults).join(', ')})`);
  }
  return { ...defaults, ...(value as object) };
}

function numberIn(value: unknown, where: string, min: number, max: number, integer: boolean, fail: Fail): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
    fail(`${where} must be ${integer ? 'an integer' : 'a number'} in [${min}, ${max}], got ${JSON.stringify(value)}`);
  }
  return value as number;
}

function parseRecommendations(value: unknown, fail: Fail): RecommendationSettings {
  const d = DEFAULT_RECOMMENDATIONS;
  const r = section(value, '"recommendations"', d, fail);
  const cs = section(r.crossSell, '"recommendations.crossSell"', d.crossSell, fail);
  const up = section(r.upsell, '"recommendations.upsell"', d.upsell, fail);
  const wb = section(r.winBack, '"recommendations.winBack"', d.winBack, fail);
  if (typeof up.fallbackToCrossSell !== 'boolean') fail(`"recommendations.upsell.fallbackToCrossSell" must be true or false, got ${JSON.stringify(up.fallbackToCrossSell)}`);
  if (!Array.isArray(wb.segments)) fail('"recommendations.winBack.segments" must be an array of segment names');
  for (const s of wb.segments as unknown[]) {
    if (typeof s !== 'string' || !(Segments as readonly string[]).includes(s)) fail(`"recommendations.winBack.segments": unknown segment ${JSON.stringify(s)} (known: ${Segments.join(', ')})`);
  }
  const otherwise = parseRule(wb.otherwise, '"recommendations.winBack.otherwise"', fail);
  // It applies below the win-back threshold, where no category suggestion is made.
  if (otherwise.action !== 'nurture' && otherwise.action !== 'none') fail(`"recommendations.winBack.otherwise": action must be nurture or none, got "${otherwise.action}"`);
  return Object.freeze({
    maxSuggestions: numberIn(r.maxSuggestions, '"recommendations.maxSuggestions"', 1, 20, true, fail),
    crossSell: Object.freeze({
      minSupport: numberIn(cs.minSupport, '"recommendations.crossSell.minSupport"', 0, 1, false, fail),
      minLift: numberIn(cs.minLift, '"recommendations.crossSell.minLift"', 0, 1e6, false, fail),
      minPairOrders: numberIn(cs.minPairOrders, '"recommendations.crossSell.minPairOrders"', 1, 1e9, true, fail),
    }),
    upsell: Object.freeze({
      priceTiers: numberIn(up.priceTiers, '"recommendations.upsell.priceTiers"', 2, 20, true, fail),
      fallbackToCrossSell: up.fallbackToCrossSell as boolean,
    }),
    winBack: Object.freeze({
      minHistoricValueMinor: numberIn(wb.minHistoricValueMinor, '"recommendations.winBack.minHistoricValueMinor"', 0, Number.MAX_SAFE_INTEGER, true, fail),
      segments: Object.freeze([...new Set(wb.segments as Segment[])]) as Segment[],
      otherwise,
    }),
  });
}
