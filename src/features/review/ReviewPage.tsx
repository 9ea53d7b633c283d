import { useState } from 'preact/hooks';
import { useSession } from '../../app/sessionContext.ts';
import { useReadable } from '../../app/useReadable.ts';
import { useReferenceData } from '../../data/queries.ts';
import { PlanSummary } from '../../shared/api/plans.ts';
import { CoverageResponse } from '../../shared/api/coverage.ts';
import { PlanOverview, type OverviewAction } from '../../shared/api/review.ts';
import { addDays } from '../../shared/coverage.ts';
import { actionsWithoutRecentEvidence, overdueActions, weekStart, weeklyFigures } from '../../shared/dashboard.ts';
import { localDateOf } from '../../shared/schedules.ts';
import { displayStatus, STATUS_LABELS, type DisplayStatus } from '../../shared/status.ts';
import { PageHeading } from '../../ui/PageHeading.tsx';
import { formatDate } from '../capture/labels.ts';
import { Freshness } from './Freshness.tsx';
import { coveragePath, dashboardPeriod, overviewPath, PLANS_PATH } from './readings.ts';

const STATUS_TAG: Record<DisplayStatus, string> = {
  'not-started': 'govuk-tag--grey',
  'in-progress': 'govuk-tag--blue',
  'evidence-submitted': 'govuk-tag--yellow',
  'complete': 'govuk-tag--green',
  'overdue': 'govuk-tag--red',
  'archived': 'govuk-tag--grey',
};

export function StatusTag({ status }: { status: DisplayStatus }) {
  return <strong class={`govuk-tag ${STATUS_TAG[status]}`}>{STATUS_LABELS[status]}</strong>;
}

interface Filters {
  status: DisplayStatus | '';
  owner: string;
  assignee: string;
  category: string;
  unit: string;
  text: string;
  sort: 'plan' | 'due';
}

const NONE: Filters = { status: '', owner: '', assignee: '', category: '', unit: '', text: '', sort: 'plan' };

/** The actions that pass the filters, in plan order or by due date (undated last). */
export function filterActions(actions: readonly OverviewAction[], filters: Filters, today: string): OverviewAction[] {
  const text = filters.text.trim().toLowerCase();
  const kept = actions.filter(
    (a) =>
      (!filters.status || displayStatus(a, today) === filters.status)
      && (!filters.owner || a.owner === filters.owner)
      && (!filters.assignee || a.assigneeName === filters.assignee)
      && (!filters.category || a.category === filters.category)
      && (!filters.unit || a.unitIds.includes(filters.unit))
      && (!text || `${a.ref} ${a.text} ${a.owner ?? ''}`.toLowerCase().includes(text)),
  );
  return filters.sort === 'due' ? [...kept].sort((a, b) => (a.due ?? '9999').localeCompare(b.due ?? '9999')) : kept;
}

interface SelectProps {
  id: string;
  label: string;
  value: string;
  options: readonly { value: string; label: string }[];
  onChange: (v: string) => void;
}

function Select({ id, label, value, options, onChange }: SelectProps) {
  return (
    <div class="govuk-form-group app-filter">
      <label class="govuk-label" for={id}>
        {label}
      </label>
      <select class="govuk-select" id={id} value={value} onChange={(e) => { onChange(e.currentTarget.value); }}>
        <option value="">All</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

function distinct(values: readonly (string | null)[]): { value: string; label: string }[] {
  const present = values.filter((v): v is string => Boolean(v));
  return [...new Set(present)].sort().map((v) => ({ value: v, label: v }));
}

/** The head of residence's view at a glance: what is overdue or quiet, and coverage and failures week by week. */
interface DashboardProps {
  actions: readonly OverviewAction[];
  today: string;
  onShowOverdue: () => void;
}

function Dashboard({ actions, today, onShowOverdue }: DashboardProps) {
  const coverage = useReadable(coveragePath(dashboardPeriod(today)), CoverageResponse);
  const weeks = coverage.state === 'ready' ? weeklyFigures(coverage.data) : [];
  const thisWeek = weeks.find((w) => w.weekStart === weekStart(today));
  const lastWeek = weeks.find((w) => w.weekStart === addDays(weekStart(today), -7));
  const quiet = actionsWithoutRecentEvidence(actions, new Date(), QUIET_DAYS).length;
  const overdue = overdueActions(actions, today).length;
  const percent = (p: number | null | undefined) => (p === null || p === undefined ? '—' : `${p}%`);
  return (
    <section class="app-dashboard" aria-labelledby="dashboard-title" data-testid="dashboard">
      <h2 class="govuk-heading-m" id="dashboard-title">At a glance</h2>
      <dl class="app-dashboard__figures">
        <div class="app-dashboard__figure">
          <dt class="govuk-body-s">Overdue actions</dt>
          <dd class="govuk-heading-l govuk-!-margin-bottom-1">{overdue}</dd>
          {overdue > 0 && (
            <dd>
              <button type="button" class="govuk-button govuk-button--secondary govuk-!-margin-bottom-0" onClick={onShowOverdue}>
                Show them
              </button>
            </dd>
          )}
        </div>
        <div class="app-dashboard__figure">
          <dt class="govuk-body-s">No evidence in the last {QUIET_DAYS} days</dt>
          <dd class="govuk-heading-l">{quiet}</dd>
        </div>
        <div class="app-dashboard__figure">
          <dt class="govuk-body-s">Recurring checks done this week</dt>
          <dd class="govuk-heading-l govuk-!-margin-bottom-1" data-testid="coverage-this-week">{percent(thisWeek?.percent)}</dd>
          <dd class="govuk-body-s">last week {percent(lastWeek?.percent)}</dd>
        </div>
      </dl>
      {weeks.length > 0 && (
        <table class="govuk-table">
          <caption class="govuk-table__caption govuk-table__caption--s">Checks with failed items or readings out of range, by week</caption>
          <thead class="govuk-table__head">
            <tr class="govuk-table__row">
              <th scope="col" class="govuk-table__header">Week beginning</th>
              <th scope="col" class="govuk-table__header govuk-table__header--numeric">Recorded</th>
              <th scope="col" class="govuk-table__header govuk-table__header--numeric">With failures</th>
            </tr>
          </thead>
          <tbody class="govuk-table__body">
            {weeks.map((w) => (
              <tr class="govuk-table__row" key={w.weekStart}>
                <td class="govuk-table__cell">{formatDate(w.weekStart)}</td>
                <td class="govuk-table__cell govuk-table__cell--numeric">{w.recorded}</td>
                <td class="govuk-table__cell govuk-table__cell--numeric">{w.failed}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {coverage.state === 'error' && <p class="govuk-body-s">Coverage could not be loaded: {coverage.message}</p>}
    </section>
  );
}

const QUIET_DAYS = 14;

/** The plan overview for the head of residence: every action, its state and evidence, filterable. */
export function ReviewPage() {
  const { info } = useSession();
  const today = localDateOf(new Date(), info.establishment.timeZone);
  const plans = useReadable(PLANS_PATH, PlanSummary.array());
  const [planId, setPlanId] = useState('');
  const chosen = planId || (plans.state === 'ready' ? (plans.data[0]?.id ?? '') : '');
  const overview = useReadable(chosen ? overviewPath(chosen) : null, PlanOverview);
  const units = useReferenceData()?.units ?? [];
  const [filters, setFilters] = useState<Filters>(NONE);
  const set = (key: keyof Filters) => (value: string) => {
    setFilters((f) => ({ ...f, [key]: value }));
  };

  if (plans.state === 'error') return <><PageHeading>Review evidence</PageHeading><p class="govuk-error-message">{plans.message}</p></>;
  const actions = overview.state === 'ready' && overview.data ? overview.data.actions : [];
  const shown = filterActions(actions, filters, today);
  return (
    <>
      <PageHeading>Review evidence</PageHeading>
      <p class="govuk-body">
        <a class="govuk-link" href="/review/export">
          Export an evidence pack
        </a>
      </p>
      {plans.state === 'ready' && plans.data.length > 1 && (
        <Select id="plan" label="Plan" value={chosen} options={plans.data.map((p) => ({ value: p.id, label: p.title }))} onChange={setPlanId} />
      )}
      <div class="app-filters">
        <div class="govuk-form-group app-filter">
          <label class="govuk-label" for="search">
            Search
          </label>
          <input class="govuk-input" id="search" type="search" value={filters.text} onInput={(e) => { set('text')(e.currentTarget.value); }} />
        </div>
        <Select id="status" label="Status" value={filters.status} options={Object.entries(STATUS_LABELS).filter(([k]) => k !== 'archived').map(([value, label]) => ({ value, label }))} onChange={set('status')} />
        <Select id="owner" label="Owner" value={filters.owner} options={distinct(actions.map((a) => a.owner))} onChange={set('owner')} />
        <Select id="assignee" label="Assigned to" value={filters.assignee} options={distinct(actions.map((a) => a.assigneeName))} onChange={set('assignee')} />
        <Select id="category" label="Category" value={filters.category} options={distinct(actions.map((a) => a.category))} onChange={set('category')} />
        <Select id="unit" label="Unit" value={filters.unit} options={units.map((u) => ({ value: u.id, label: u.name }))} onChange={set('unit')} />
        <div class="govuk-form-group app-filter">
          <label class="govuk-label" for="sort">
            Order
          </label>
          <select class="govuk-select" id="sort" value={filters.sort} onChange={(e) => { set('sort')(e.currentTarget.value); }}>
            <option value="plan">As in the plan</option>
            <option value="due">By due date</option>
          </select>
        </div>
      </div>
      {overview.state === 'ready' && overview.data && (
        <Dashboard
          actions={overview.data.actions}
          today={today}
          onShowOverdue={() => {
            setFilters({ ...NONE, status: 'overdue', sort: 'due' });
          }}
        />
      )}
      {overview.state === 'error' && <p class="govuk-error-message">{overview.message}</p>}
      {overview.state === 'ready' && overview.data && <Freshness refreshedAt={overview.refreshedAt} fromDevice={overview.fromDevice} />}
      <p class="govuk-body" aria-live="polite" data-testid="overview-count">
        {overview.state === 'ready' ? `${shown.length} of ${actions.length} actions` : 'Loading…'}
      </p>
      <table class="govuk-table app-overview" data-testid="overview">
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
              <td class="govuk-table__cell">
                <a class="govuk-link" href={`/review/actions/${a.id}`}>
                  <strong>{a.ref}</strong> <span class="app-clamp">{a.text}</span>
                </a>
              </td>
              <td class="govuk-table__cell">
                {a.owner ?? '—'}
                {a.assigneeName && <span class="govuk-body-s app-secondary-text"><br />{a.assigneeName}</span>}
              </td>
              <td class="govuk-table__cell">{a.due ? formatDate(a.due) : (a.target ?? '—')}</td>
              <td class="govuk-table__cell">
                <StatusTag status={displayStatus(a, today)} />
              </td>
              <td class="govuk-table__cell">
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
