/**
 * The demo report's view of the recommendations: how many customers get each action, how
 * many of those with concrete categories, the categories suggested most, and one example
 * per action. Read from the scoring state after the run.
 */
import type { StateStore } from '../../core/ports/state-store.js';
import type { CustomerScoreState } from '../../processors/scoring/customer-scorer.js';

export interface RecommendationFigures {
  /** action → customers, and how many of them have suggested categories. */
  byAction: Record<string, { customers: number; withCategories: number }>;
  /** The most suggested categories per action, most frequent first (at most 5 each). */
  topCategories: Record<string, Array<[category: string, customers: number]>>;
  /** One customer per action that names categories (the highest CLV). */
  examples: Array<{ customerId: string; segment: string; action: string; categories: string[]; reason: string }>;
}

export async function recommendationFigures(scores: StateStore<CustomerScoreState>): Promise<RecommendationFigures> {
  const byAction: RecommendationFigures['byAction'] = {};
  const counts = new Map<string, Map<string, number>>();
  const best = new Map<string, { clv: number; example: RecommendationFigures['examples'][number] }>();
  for await (const page of scores.scan(10_000)) {
    for (const [customerId, s] of page) {
      const r = s.recommendation;
      if (!r || !s.segment) continue;
      const a = (byAction[r.action] ??= { customers: 0, withCategories: 0 });
      a.customers++;
      if (r.categories.length === 0) continue;
      a.withCategories++;
      let perCategory = counts.get(r.action);
      if (!perCategory) counts.set(r.action, (perCategory = new Map()));
      for (const c of r.categories) perCategory.set(c, (perCategory.get(c) ?? 0) + 1);
      const known = best.get(r.action);
      if (!known || s.clvMinor > known.clv) {
        best.set(r.action, { clv: s.clvMinor, example: { customerId, segment: s.segment, action: r.action, categories: r.categories, reason: r.reason } });
      }
    }
  }
  const topCategories: RecommendationFigures['topCategories'] = {};
  for (const [action, perCategory] of counts) {
    topCategories[action] = [...perCategory].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 5);
  }
  const examples = [...best.values()].map((b) => b.example).sort((a, b) => (a.action < b.action ? -1 : 1));
  return { byAction, topCategories, examples };
}
