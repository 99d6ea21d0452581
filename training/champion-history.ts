/**
 * Which version a rollback returns to, from the registry's promotion log. Champions form a
 * stack: a promotion pushes, a rollback pops back to the version it restores. So rolling
 * back twice from A → B → C goes to B, then A — never back and forth between B and C.
 */
import type { PromotionRecord } from '../core/ports/model-registry.js';

/** The champion before `current`, or null when there is none to go back to. */
export function previousChampion(promotions: readonly PromotionRecord[], current: string | null): string | null {
  const stack = championStack(promotions);
  for (let i = stack.length - 1; i >= 0; i--) if (stack[i] !== current) return stack[i];
  return null;
}

/** Champions still "underneath" the current one, oldest first, the current last. */
export function championStack(promotions: readonly PromotionRecord[]): string[] {
  const stack: string[] = [];
  for (const p of promotions) {
    if (p.reason === 'rollback' && stack.includes(p.version)) {
      while (stack[stack.length - 1] !== p.version) stack.pop();
    } else if (stack[stack.length - 1] !== p.version) {
      stack.push(p.version);
    }
  }
  return stack;
}
