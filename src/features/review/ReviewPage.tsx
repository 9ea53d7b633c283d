import { useState } from 'preact/hooks';
import { useSession } from '../../api/sessionContext.ts';
import { useReadable } from '../../api/useReadable.ts';
import { useReferenceData } from '../../data/queries.ts';
import { activeFilters, filterActions, NO_FILTERS, NOBODY, type ActionFilters } from '../../shared/action-filter.ts';
import { localDateOf } from '../../shared/schedules.ts';
import { displayStatus, STATUS_LABELS, type DisplayStatus } from '../../shared/status.ts';
import { FilterPanel } from '../../ui/FilterPanel.tsx';
import { TextField } from '../../ui/form.tsx';
import { SelectField } from '../../ui/SelectField.tsx';
import { PageHeading } from '../../ui/PageHeading.tsx';
import { StatusTag } from '../../ui/tags.tsx';
import { formatDate } from '../capture/labels.ts';
import { Dashboard } from './Dashboard.tsx';
import { Freshness } from './Freshness.tsx';
import { byId } from '../../api/readings.ts';
import { ErrorMessage } from '../../ui/ErrorMessage.tsx';

const STATUS_OPTIONS = (Object.entries(STATUS_LABELS) as [DisplayStatus, string][])
  .filter(([status]) => status !== 'archived')
  .map(([value, label]) => ({ value, label }));

function distinct(values: readonly (string | null)[]): { value: string; label: string }[] {
  const present = values.filter((v): v is string => Boolean(v));
  return [...new Set(present)].sort().map((v) => ({ value: v, label: v }));
}

/** The plan overview for the head of residence: every action, its state and evidence, filterable. */
export function ReviewPage() {
  const { info } = useSession();
  const today = localDateOf(new Date(), info.establishment.timeZone);
  const plans = useReadable('plans.list', {});
  const [planId, setPlanId] = useState('');
  const chosen = planId || (plans.state === 'ready' ? (plans.data[0]?.id ?? '') : '');
  const overview = useReadable('plans.overview', chosen ? byId(chosen) : null);
  const units = useReferenceData()?.units ?? [];
  const [filters, setFilters] = useState<ActionFilters>(NO_FILTERS);
  const set = (key: keyof ActionFilters) => (value: string) => {
    setFilters((f) => ({ ...f, [key]: value }));
  };

  if (plans.state === 'error') {
    return (
      <>
        <PageHeading>Review evidence</PageHeading>
        <ErrorMessage error={plans.message} />
      </>
    );
  }
  const actions = overview.state === 'ready' && overview.data ? overview.data.actions : [];
  const shown = filterActions(actions, filters, today);
  const assignees = new Map(actions.filter((a) => a.assigneeId).map((a) => [a.assigneeId ?? '', a.assigneeName ?? 'Someone']));
  return (
    <>
      <PageHeading>Review evidence</PageHeading>
      <p class="govuk-body">
        <a class="govuk-link" href="/review/export">
          Export an evidence pack
        </a>
      </p>
      {plans.state === 'ready' && plans.data.length > 1 && (
        <SelectField id="plan" label="Plan" value={chosen} options={plans.data.map((p) => ({ value: p.id, label: p.title }))} onChange={setPlanId} />
      )}
      {overview.state === 'ready' && overview.data && (
        <Dashboard
          actions={overview.data.actions}
          today={today}
          onShowOverdue={() => {
            setFilters({ ...NO_FILTERS, status: 'overdue', sort: 'due' });
          }}
        />
      )}
      <h2 class="govuk-heading-m">Actions</h2>
      <FilterPanel
        id="review-filters"
        active={activeFilters(filters)}
        onClear={() => {
          setFilters({ ...NO_FILTERS, sort: filters.sort });
        }}
      >
        <TextField id="search" class="app-filter" label="Search" type="search" width="full" value={filters.text} onInput={set('text')} />
        <SelectField id="status" class="app-filter" label="Status" empty="All" value={filters.status} options={STATUS_OPTIONS} onChange={set('status')} />
        <SelectField id="owner" class="app-filter" label="Owner" empty="All" value={filters.owner} options={distinct(actions.map((a) => a.owner))} onChange={set('owner')} />
        <SelectField
          id="assignee"
          class="app-filter"
          label="Assigned to"
          empty="Anyone"
          value={filters.assignee}
          options={[
            ...[...assignees].sort((a, b) => a[1].localeCompare(b[1])).map(([value, label]) => ({ value, label })),
            { value: NOBODY, label: 'Nobody yet' },
          ]}
          onChange={set('assignee')}
        />
        <SelectField
          id="category"
          class="app-filter"
          label="Category"
          empty="All"
          value={filters.category}
          options={distinct(actions.map((a) => a.category))}
          onChange={set('category')}
        />
        <SelectField
          id="unit"
          class="app-filter"
          label="Unit"
          empty="All"
          value={filters.unit}
          options={units.map((u) => ({ value: u.id, label: u.name }))}
          onChange={set('unit')}
        />
        <SelectField
          id="sort"
          class="app-filter"
          label="Order"
          value={filters.sort}
          options={[{ value: 'plan', label: 'As in the plan' }, { value: 'due', label: 'By due date' }]}
          onChange={set('sort')}
        />
      </FilterPanel>
      {overview.state === 'error' && <ErrorMessage error={overview.message} />}
      {overview.state === 'ready' && overview.data && <Freshness refreshedAt={overview.refreshedAt} fromDevice={overview.fromDevice} />}
      <p class="govuk-body" aria-live="polite" data-testid="overview-count">
        {overview.state === 'ready' ? `${shown.length} of ${actions.length} actions` : 'Loading…'}
      </p>
      <table class="govuk-table app-overview app-table--stack" data-testid="overview">
        <thead class="govuk-table__head">
          <tr class="govuk-table__row">
            <th scope="col" class="govuk-table__header">Action</th>
            <th scope="col" class="govuk-table__header">Owner / assigned</th>
            <th scope="col" class="govuk-table__header">Due</th>
            <th scope="col" class="govuk-table__header">Status</th>
            <th scope="col" class="govuk-table__header">Evidence</th>
          </tr>
        </thead>
        <tbody class="govuk-table__body">
          {shown.map((a) => (
            <tr class="govuk-table__row" key={a.id}>
              <td class="govuk-table__cell" data-label="Action">
                <a class="govuk-link" href={`/review/actions/${a.id}`}>
                  <span class="app-ref">{a.ref}</span> <span class="app-clamp">{a.text}</span>
                </a>
              </td>
              <td class="govuk-table__cell" data-label="Owner / assigned">
                {a.owner ?? '—'}
                {a.assigneeName && <span class="govuk-body-s app-secondary-text"><br />{a.assigneeName}</span>}
              </td>
              <td class="govuk-table__cell" data-label="Due">
                {a.due ? formatDate(a.due) : (a.target ?? '—')}
              </td>
              <td class="govuk-table__cell" data-label="Status">
                <StatusTag status={displayStatus(a, today)} />
              </td>
              <td class="govuk-table__cell" data-label="Evidence">
                {a.evidenceCount}
                {a.lastEvidenceAt && <span class="govuk-body-s app-secondary-text"><br />last {formatDate(a.lastEvidenceAt)}</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
