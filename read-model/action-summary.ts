/**
 * Scored customers by recommended action and segment, from the segment index (one pass,
 * O(customers · log examples)), each group with the policy's reason and its most valuable
 * customers with their own recommendation, read from the score store.
 */
import { Actions, type ActionPolicy } from '../core/action-policy.js';
import type { ActionGroup, ActionSummary } from '../core/ports/clv-read-model-reports.js';
import type { StateStore } from '../core/ports/state-store.js';
import { actionRuleReason, type MoneyFormat } from '../core/recommendations/action-rule-reason.js';
import { Segments } from '../core/segmentation.js';
import type { CustomerScoreState } from '../processors/scoring/customer-scorer.js';
import type { SegmentIndex } from './segment-index.js';

type Example = { customerId: string; clvMinor: number };

/** Keeps the `size` highest CLVs (ties: lower id first), sorted best first. */
function keepTop(top: Example[], candidate: Example, size: number): void {
  const better = (a: Example, b: Example) => a.clvMinor > b.clvMinor || (a.clvMinor === b.clvMinor && a.customerId < b.customerId);
  if (top.length === size && !better(candidate, top[size - 1])) return;
  let i = top.length;
  while (i > 0 && better(candidate, top[i - 1])) i--;
  top.splice(i, 0, candidate);
  if (top.length > size) top.pop();
}

export async function actionSummary(
  index: SegmentIndex, scores: StateStore<CustomerScoreState>, policy: ActionPolicy, money: MoneyFormat, examplesPerGroup: number,
): Promise<ActionSummary> {
  const groups = new Map<string, { group: ActionGroup; top: Example[] }>();
  for (const [customerId, { clvMinor, action }] of index.scored) {
    const segment = index.segmentOf.get(customerId);
    if (!segment) continue;
    const key = `${action} ${segment}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { group: { action, segment, customers: 0, reason: actionRuleReason(policy, segment, action, money), examples: [] }, top: [] }));
    g.group.customers++;
    if (examplesPerGroup > 0) keepTop(g.top, { customerId, clvMinor }, examplesPerGroup);
  }
  const ids = [...groups.values()].flatMap((g) => g.top.map((e) => e.customerId));
  const states = ids.length > 0 ? await scores.getMany(ids) : new Map<string, CustomerScoreState>();
  for (const { group, top } of groups.values()) {
    group.examples = top.map((e) => {
      const r = states.get(e.customerId)?.recommendation;
      return { ...e, reason: r?.reason ?? group.reason, categories: r?.categories ?? [] };
    });
  }
  const byAction = new Map<string, number>();
  for (const { group } of groups.values()) byAction.set(group.action, (byAction.get(group.action) ?? 0) + group.customers);
  const sorted = [...groups.values()].map((g) => g.group).sort((a, b) =>
    byAction.get(b.action)! - byAction.get(a.action)! || Actions.indexOf(a.action) - Actions.indexOf(b.action)
    || Segments.indexOf(a.segment) - Segments.indexOf(b.segment));
  const wb = policy.recommendations.winBack;
  return {
    customers: sorted.reduce((n, g) => n + g.customers, 0),
    groups: sorted,
    winBack: { minHistoricValueMinor: wb.minHistoricValueMinor, segments: [...wb.segments], otherwise: { ...wb.otherwise } },
  };
}
