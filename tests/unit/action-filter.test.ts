import { describe, expect, it } from 'vitest';
import { actionRef } from '../../src/shared/action-ref.ts';
import { activeFilters, filterActions, NO_FILTERS, NOBODY, type FilterableAction } from '../../src/shared/action-filter.ts';

const TODAY = '2026-12-02';

function action(ref: string, overrides: Partial<FilterableAction> = {}): FilterableAction {
  return { ref, text: `Action ${ref}`, owner: 'Head of Residence', status: 'not-started', due: null, category: 'Priority concern', assigneeId: null, ...overrides };
}

describe('actionRef', () => {
  it('names an action by its concern and place, never by the concern alone', () => {
    expect(actionRef('1', 0)).toBe('1.1');
    expect(actionRef('1', 2)).toBe('1.3');
    expect(actionRef('5.12', 0)).toBe('5.12.1');
  });
  it('keeps an archived action its number, marked archived', () => {
    // A revision parks a dropped action at -position - 1.
    expect(actionRef('2', -1 - 3)).toBe('2.4 (archived)');
  });
});

describe('filterActions', () => {
  const actions = [
    action('1.1', { text: 'Review the incentives policy', assigneeId: 'u1', due: '2026-11-01' }),
    action('1.2', { text: 'Publish the incentives scheme', owner: 'Governor', status: 'complete', due: '2026-10-01' }),
    action('2.1', { text: 'Introduce welfare checks', concern: 'Children were locked up for too long', assigneeId: 'u2', due: '2027-01-31', category: 'Key concern' }),
    action('2.2', { text: 'Monitor the regime', unitIds: ['unit-a'] }),
  ];

  it('keeps everything with no filters, in plan order', () => {
    expect(filterActions(actions, NO_FILTERS, TODAY).map((a) => a.ref)).toEqual(['1.1', '1.2', '2.1', '2.2']);
  });

  it('finds every word, in any order, in the ref, text, owner or concern', () => {
    const find = (text: string) => filterActions(actions, { ...NO_FILTERS, text }, TODAY).map((a) => a.ref);
    expect(find('incentives')).toEqual(['1.1', '1.2']);
    expect(find('scheme INCENTIVES')).toEqual(['1.2']);
    expect(find('locked')).toEqual(['2.1']);
    expect(find('1.2')).toEqual(['1.2']);
    expect(find('governor')).toEqual(['1.2']);
    expect(find('  ')).toHaveLength(4);
    expect(find('nothing like this')).toEqual([]);
  });

  it('filters by shown status (overdue is worked out), assignee, nobody, category and unit', () => {
    const refs = (f: Partial<typeof NO_FILTERS>) => filterActions(actions, { ...NO_FILTERS, ...f }, TODAY).map((a) => a.ref);
    expect(refs({ status: 'overdue' })).toEqual(['1.1']);
    expect(refs({ status: 'complete' })).toEqual(['1.2']);
    expect(refs({ assignee: 'u2' })).toEqual(['2.1']);
    expect(refs({ assignee: NOBODY })).toEqual(['1.2', '2.2']);
    expect(refs({ category: 'Key concern' })).toEqual(['2.1']);
    expect(refs({ unit: 'unit-a' })).toEqual(['2.2']);
  });

  it('orders by due date with undated actions last', () => {
    expect(filterActions(actions, { ...NO_FILTERS, sort: 'due' }, TODAY).map((a) => a.ref)).toEqual(['1.2', '1.1', '2.1', '2.2']);
  });

  it('counts the filters in use, not the order', () => {
    expect(activeFilters(NO_FILTERS)).toBe(0);
    expect(activeFilters({ ...NO_FILTERS, sort: 'due' })).toBe(0);
    expect(activeFilters({ ...NO_FILTERS, text: 'x', status: 'overdue' })).toBe(2);
  });
});
