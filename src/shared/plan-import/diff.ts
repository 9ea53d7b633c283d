import type { ParsedAction, ParsedPlan } from './schema.ts';

/** An action already stored, as the comparison needs it. */
export interface StoredAction {
  id: string;
  ref: string;
  text: string;
  owner: string | null;
  target: string | null;
}

export interface PlanDiff {
  /** In the revised plan only: will be created. */
  added: { ref: string; index: number; action: ParsedAction }[];
  /** No longer in the revised plan: will be archived, never deleted (evidence may point at them). */
  removed: StoredAction[];
  /** The same action, reworded or with a new owner or target: keeps its id and evidence. */
  changed: { id: string; ref: string; index: number; before: StoredAction; after: ParsedAction }[];
  unchanged: { id: string; ref: string; index: number }[];
}

const words = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim().split(' ').filter(Boolean);

/** Word-pair overlap (Dice coefficient), 0..1: robust to small edits, low for different actions. */
export function similarity(a: string, b: string): number {
  const pairs = (text: string) => {
    const w = words(text);
    if (w.length < 2) return new Map([[w.join(' '), 1]]);
    const counts = new Map<string, number>();
    for (let i = 0; i < w.length - 1; i += 1) {
      const pair = `${w[i] ?? ''} ${w[i + 1] ?? ''}`;
      counts.set(pair, (counts.get(pair) ?? 0) + 1);
    }
    return counts;
  };
  const pa = pairs(a);
  const pb = pairs(b);
  let overlap = 0;
  let total = 0;
  for (const [pair, n] of pa) {
    overlap += Math.min(n, pb.get(pair) ?? 0);
    total += n;
  }
  for (const n of pb.values()) total += n;
  return total === 0 ? 0 : (2 * overlap) / total;
}

/** Below this, two actions are different actions, not one reworded. */
export const SAME_ACTION = 0.5;

/**
 * Compares a revised plan with the actions stored for the plan it revises. Actions are matched
 * within the same concern ref: identical text first, then the most similar above SAME_ACTION.
 * An action that moved to another ref counts as removed there and added here.
 */
export function diffPlan(stored: readonly StoredAction[], revised: ParsedPlan): PlanDiff {
  const diff: PlanDiff = { added: [], removed: [], changed: [], unchanged: [] };
  const byRef = new Map<string, StoredAction[]>();
  for (const action of stored) byRef.set(action.ref, [...(byRef.get(action.ref) ?? []), action]);

  for (const rec of revised.recommendations) {
    const candidates = [...(byRef.get(rec.ref) ?? [])];
    byRef.delete(rec.ref);
    const matches = new Map<number, StoredAction>();
    // Exact text first, so a reordered list still matches itself.
    rec.actions.forEach((action, index) => {
      const at = candidates.findIndex((c) => c.text === action.text);
      const [match] = at >= 0 ? candidates.splice(at, 1) : [];
      if (match) matches.set(index, match);
    });
    // Then the best remaining pairs, most similar first.
    const scored = (action: ParsedAction, index: number) =>
      candidates.map((c) => ({ index, c, score: similarity(c.text, action.text) }));
    const pairs = rec.actions
      .flatMap((action, index) => (matches.has(index) ? [] : scored(action, index)))
      .filter((p) => p.score >= SAME_ACTION)
      .sort((x, y) => y.score - x.score);
    for (const { index, c } of pairs) {
      if (matches.has(index) || !candidates.includes(c)) continue;
      matches.set(index, c);
      candidates.splice(candidates.indexOf(c), 1);
    }
    rec.actions.forEach((action, index) => {
      const before = matches.get(index);
      if (!before) diff.added.push({ ref: rec.ref, index, action });
      else if (before.text === action.text && before.owner === action.owner && before.target === action.target) {
        diff.unchanged.push({ id: before.id, ref: rec.ref, index });
      } else diff.changed.push({ id: before.id, ref: rec.ref, index, before, after: action });
    });
    diff.removed.push(...candidates);
  }
  for (const leftovers of byRef.values()) diff.removed.push(...leftovers);
  return diff;
}
