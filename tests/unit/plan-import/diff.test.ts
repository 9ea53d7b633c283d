import { describe, expect, it } from 'vitest';
import { diffPlan, similarity, type StoredAction } from '../../../src/shared/plan-import/diff.ts';
import type { ParsedAction, ParsedPlan } from '../../../src/shared/plan-import/schema.ts';

const action = (text: string, owner = 'Governor', target = 'April 2026'): ParsedAction => ({ text, owner, target, due: null, complete: false });
const plan = (recs: Record<string, ParsedAction[]>): ParsedPlan => ({
  source: 'revised.txt',
  establishment: null,
  warnings: [],
  recommendations: Object.entries(recs).map(([ref, actions]) => ({
    ref, section: null, category: null, concern: null, recommendation: null, agreement: null, directedTo: null, actions,
  })),
});
const stored = (id: string, ref: string, text: string, owner = 'Governor', target = 'April 2026'): StoredAction => ({ id, ref, text, owner, target });

const SERVERY = 'Daily servery checks of cleanliness and food quality recorded on assurance sheets.';
const KITCHEN = 'Weekly main kitchen quality check by the Duty Governor.';
const CLEANING = 'Daily and weekly cleaning checklists on every unit, including serveries.';

describe('diffPlan', () => {
  it('finds nothing to do when the plan is the same', () => {
    const diff = diffPlan([stored('a', '1.7', SERVERY), stored('b', '1.7', KITCHEN)], plan({ 1.7: [action(SERVERY), action(KITCHEN)] }));
    expect(diff).toEqual({ added: [], removed: [], changed: [], unchanged: [{ id: 'a', ref: '1.7', index: 0 }, { id: 'b', ref: '1.7', index: 1 }] });
  });

  it('keeps the id of an action that was reworded, re-owned or re-dated', () => {
    const revised = plan({ 1.7: [action(SERVERY.replace('Daily', 'Twice-daily'), 'Head of Residence', 'June 2026')] });
    const diff = diffPlan([stored('a', '1.7', SERVERY)], revised);
    expect(diff.changed).toEqual([{ id: 'a', ref: '1.7', index: 0, before: stored('a', '1.7', SERVERY), after: revised.recommendations[0]?.actions[0] }]);
    expect(diff.added).toEqual([]);
    expect(diff.removed).toEqual([]);
  });

  it('matches a reordered list to itself', () => {
    const diff = diffPlan([stored('a', '1', SERVERY), stored('b', '1', KITCHEN)], plan({ 1: [action(KITCHEN), action(SERVERY)] }));
    expect(diff.unchanged).toEqual([{ id: 'b', ref: '1', index: 0 }, { id: 'a', ref: '1', index: 1 }]);
  });

  it('adds new actions and removes dropped ones, never matching unrelated text', () => {
    const diff = diffPlan([stored('a', '1', SERVERY), stored('b', '1', KITCHEN)], plan({ 1: [action(SERVERY), action(CLEANING)] }));
    expect(diff.added.map((a) => a.action.text)).toEqual([CLEANING]);
    expect(diff.removed.map((a) => a.id)).toEqual(['b']);
  });

  it('removes every action of a concern the revision dropped, and adds a new concern', () => {
    const diff = diffPlan([stored('a', '1', SERVERY), stored('b', '2', KITCHEN)], plan({ 1: [action(SERVERY)], 3: [action(CLEANING)] }));
    expect(diff.removed.map((a) => a.id)).toEqual(['b']);
    expect(diff.added).toEqual([{ ref: '3', index: 0, action: action(CLEANING) }]);
  });

  it('scores similar wording high and different actions low', () => {
    expect(similarity(SERVERY, SERVERY)).toBe(1);
    expect(similarity(SERVERY, `${SERVERY} Reviewed weekly.`)).toBeGreaterThan(0.8);
    expect(similarity(SERVERY, KITCHEN)).toBeLessThan(0.2);
  });
});
