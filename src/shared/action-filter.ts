import { displayStatus, type DisplayStatus } from './status.ts';

/** What the Actions and Review screens filter on: any action row that has these. */
export interface FilterableAction {
  ref: string;
  text: string;
  owner: string | null;
  status: string;
  due: string | null;
  category: string | null;
  assigneeId: string | null;
  /** The concern's text, searched too when a row has it. */
  concern?: string | null;
  /** Units its evidence was recorded on, when a row has them (the review overview). */
  unitIds?: readonly string[];
}

export interface ActionFilters {
  /** Words to find in the reference, the action, its owner or its concern. */
  text: string;
  status: DisplayStatus | '';
  owner: string;
  /** A person's id, NOBODY for actions not yet given to anyone, or '' for all. */
  assignee: string;
  category: string;
  unit: string;
  sort: 'plan' | 'due';
}

export const NO_FILTERS: ActionFilters = { text: '', status: '', owner: '', assignee: '', category: '', unit: '', sort: 'plan' };

/** The `assignee` filter's value for actions nobody has been given. */
export const NOBODY = 'nobody';

/** How many filters narrow the list (the order is not a filter): the "Filter (2)" on a phone. */
export function activeFilters(filters: ActionFilters): number {
  return (['text', 'status', 'owner', 'assignee', 'category', 'unit'] as const).filter((key) => filters[key].trim() !== '').length;
}

/**
 * The actions that pass every filter, in plan order or by due date (undated last, overdue first
 * since they are earliest). Every word of the search must appear somewhere, in any order.
 */
export function filterActions<T extends FilterableAction>(actions: readonly T[], filters: ActionFilters, today: string): T[] {
  const words = filters.text.toLowerCase().split(/\s+/).filter(Boolean);
  const kept = actions.filter((a) => {
    if (filters.status && displayStatus(a, today) !== filters.status) return false;
    if (filters.owner && a.owner !== filters.owner) return false;
    const assignee = filters.assignee === NOBODY ? null : filters.assignee;
    if (filters.assignee && a.assigneeId !== assignee) return false;
    if (filters.category && a.category !== filters.category) return false;
    if (filters.unit && !(a.unitIds ?? []).includes(filters.unit)) return false;
    if (words.length === 0) return true;
    const haystack = `${a.ref} ${a.text} ${a.owner ?? ''} ${a.concern ?? ''}`.toLowerCase();
    return words.every((word) => haystack.includes(word));
  });
  return filters.sort === 'due' ? [...kept].sort((a, b) => (a.due ?? '9999').localeCompare(b.due ?? '9999')) : kept;
}
