import { useState } from 'preact/hooks';
import { useSession } from '../../api/sessionContext.ts';
import { useActionList, type ActionListItem } from '../../data/action-list.ts';
import { activeFilters, filterActions, NO_FILTERS, NOBODY, type ActionFilters } from '../../shared/action-filter.ts';
import { hasAnyRole } from '../../shared/roles.ts';
import { localDateOf } from '../../shared/schedules.ts';
import { displayStatus, STATUS_LABELS, type DisplayStatus } from '../../shared/status.ts';
import { FilterPanel } from '../../ui/FilterPanel.tsx';
import { TextField } from '../../ui/form.tsx';
import { SelectField } from '../../ui/SelectField.tsx';
import { PageHeading } from '../../ui/PageHeading.tsx';
import { DecisionTag, StatusTag } from '../../ui/tags.tsx';
import { formatDate } from '../capture/labels.ts';

const STATUS_OPTIONS = (Object.entries(STATUS_LABELS) as [DisplayStatus, string][])
  .filter(([status]) => status !== 'archived')
  .map(([value, label]) => ({ value, label }));

function dueText(action: ActionListItem): string {
  if (action.due) return `Due ${formatDate(action.due)}`;
  return action.target ? `Target: ${action.target}` : 'No target date';
}

function evidenceText(count: number): string {
  if (count === 0) return 'No evidence yet';
  return count === 1 ? '1 piece of evidence' : `${count} pieces of evidence`;
}

interface CardProps {
  action: ActionListItem;
  today: string;
  showAssignee: boolean;
  /** Several plans are listed: say which each action is from. */
  showPlan: boolean;
}

function ActionCard({ action, today, showAssignee, showPlan }: CardProps) {
  const status = displayStatus(action, today);
  return (
    <li class="app-card" data-testid="action">
      <div class="app-card__head">
        <a class="govuk-link app-card__title" href={`/actions/${action.id}`}>
          <span class="app-ref">{action.ref}</span> <span class="app-clamp">{action.text}</span>
        </a>
        <StatusTag status={status} />
      </div>
      {action.concern && (
        <p class="govuk-body-s app-secondary-text app-clamp app-card__line">
          {showPlan ? `${action.planTitle}, concern` : 'Concern'} {action.concernRef}: {action.concern}
        </p>
      )}
      <p class="govuk-body-s app-card__line">
        {dueText(action)} · {evidenceText(action.evidenceCount)}
        {action.latestDecision && (
          <>
            {' · '}
            <DecisionTag decision={action.latestDecision.decision} /> {formatDate(action.latestDecision.reviewedAt)}
          </>
        )}
      </p>
      {(showAssignee || action.pendingStatus) && (
        <p class="govuk-body-s app-secondary-text app-card__line">
          {showAssignee && (action.assigneeName ? `Assigned to ${action.assigneeName}` : 'Not assigned to anyone yet')}
          {showAssignee && action.pendingStatus && ' · '}
          {action.pendingStatus && `Status change to “${STATUS_LABELS[action.pendingStatus]}” waiting to sync`}
        </p>
      )}
    </li>
  );
}

/**
 * The actions a person is to prove (and, for the head of residence and admins, everyone's), from
 * the device's own store, so it works on the wing: search, filter, and open one with its evidence.
 */
export function ActionsPage() {
  const { info } = useSession();
  const today = localDateOf(new Date(), info.establishment.timeZone);
  const everyone = hasAnyRole(info.roles, ['head-of-residence', 'admin']);
  const actions = useActionList();
  const [filters, setFilters] = useState<ActionFilters>({ ...NO_FILTERS, assignee: everyone ? '' : info.user.id, sort: 'due' });
  const set = (key: keyof ActionFilters) => (value: string) => {
    setFilters((f) => ({ ...f, [key]: value }));
  };

  if (actions === undefined) return <PageHeading>Actions</PageHeading>;
  // Only the people in charge see everyone's; the rest see what is theirs to prove.
  const visible = everyone ? actions : actions.filter((a) => a.assigneeId === info.user.id);
  const shown = filterActions(visible, filters, today);
  const people = new Map(actions.filter((a) => a.assigneeId && a.assigneeName).map((a) => [a.assigneeId ?? '', a.assigneeName ?? '']));
  const assigneeOptions = [
    { value: info.user.id, label: `Me (${info.user.displayName})` },
    ...[...people]
      .filter(([id]) => id !== info.user.id)
      .sort((a, b) => a[1].localeCompare(b[1]))
      .map(([value, label]) => ({ value, label })),
    { value: NOBODY, label: 'Nobody yet' },
  ];
  const categories = [...new Set(visible.map((a) => a.category).filter((c): c is string => Boolean(c)))].sort();
  const plans = new Set(actions.map((a) => a.planId));
  const filterCount = activeFilters({ ...filters, assignee: everyone ? filters.assignee : '' });

  return (
    <>
      <PageHeading>{everyone ? 'Actions' : 'My actions'}</PageHeading>
      <p class="govuk-body">
        {everyone
          ? 'Every action of the plan, with who is to prove it and what evidence this device has.'
          : 'The actions you are to prove, with the evidence recorded for each.'}
      </p>
      {visible.length > 0 && (
        <FilterPanel
          id="action-filters"
          active={filterCount}
          onClear={() => {
            setFilters({ ...NO_FILTERS, assignee: everyone ? '' : info.user.id, sort: filters.sort });
          }}
        >
          <TextField id="search" class="app-filter" label="Search" type="search" width="full" value={filters.text} onInput={set('text')} />
          <SelectField id="status" class="app-filter" label="Status" empty="All" value={filters.status} options={STATUS_OPTIONS} onChange={set('status')} />
          {everyone && <SelectField id="assignee" class="app-filter" label="Assigned to" empty="Anyone" value={filters.assignee} options={assigneeOptions} onChange={set('assignee')} />}
          {categories.length > 1 && (
            <SelectField id="category" class="app-filter" label="Category" empty="All" value={filters.category} options={categories.map((c) => ({ value: c, label: c }))} onChange={set('category')} />
          )}
          <SelectField
            id="sort"
            class="app-filter"
            label="Order"
            value={filters.sort}
            options={[{ value: 'due', label: 'By due date' }, { value: 'plan', label: 'As in the plan' }]}
            onChange={set('sort')}
          />
        </FilterPanel>
      )}
      <p class="govuk-body" aria-live="polite" data-testid="action-count">
        {visible.length === 0
          ? everyone
            ? 'There are no actions on this device yet. An admin imports the plan; connect once to fetch it.'
            : 'No actions are assigned to you.'
          : `${shown.length} of ${visible.length} ${visible.length === 1 ? 'action' : 'actions'}`}
      </p>
      <ul class="govuk-list app-cards" data-testid="actions">
        {shown.map((action) => (
          <ActionCard key={action.id} action={action} today={today} showAssignee={everyone} showPlan={plans.size > 1} />
        ))}
      </ul>
    </>
  );
}
