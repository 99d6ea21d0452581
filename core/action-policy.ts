/**
 * Segment → recommended action, with the reason a marketer sees. Loaded from a JSON file so
 * users can change the policy without code; validated so a typo fails at start-up.
 */
import { ClvError, ErrorCodes } from './errors.js';
import { Segments, type Segment } from './segmentation.js';

export const Actions = ['upsell', 'cross_sell', 'win_back', 'nurture', 'none'] as const;
export type Action = (typeof Actions)[number];

export interface Recommendation {
  action: Action;
  reason: string;
}

export type ActionPolicy = Readonly<Record<Segment, Recommendation>>;

/** Validates a parsed policy document; `source` names it in errors. */
export function parseActionPolicy(doc: unknown, source: string): ActionPolicy {
  const fail = (why: string): never => {
    throw new ClvError(ErrorCodes.INVALID_POLICY, `action policy ${source}: ${why}`);
  };
  if (typeof doc !== 'object' || doc === null || !('segments' in doc)) fail('expected an object with "segments"');
  const segments = (doc as { segments: unknown }).segments;
  if (typeof segments !== 'object' || segments === null) fail('"segments" must be an object');
  const entries = segments as Record<string, unknown>;
  for (const name of Object.keys(entries)) {
    if (!(Segments as readonly string[]).includes(name)) fail(`unknown segment "${name}" (known: ${Segments.join(', ')})`);
  }
  const policy = {} as Record<Segment, Recommendation>;
  for (const segment of Segments) {
    const rule = entries[segment] as { action?: unknown; reason?: unknown } | undefined;
    if (rule === undefined) fail(`segment "${segment}" has no rule`);
    const { action, reason } = rule as { action?: unknown; reason?: unknown };
    if (typeof action !== 'string' || !(Actions as readonly string[]).includes(action)) {
      fail(`segment "${segment}": action must be one of ${Actions.join(', ')}, got ${JSON.stringify(action)}`);
    }
    if (typeof reason !== 'string' || reason.trim() === '') fail(`segment "${segment}": reason must be a non-empty string`);
    policy[segment] = { action: action as Action, reason: reason as string };
  }
  return Object.freeze(policy);
}
