import { useSession } from '../../app/sessionContext.ts';
import {
  useAssignedActions,
  useChecksDueOn,
  useDrafts,
  useRecentSubmitted,
  useReferenceData,
  type ActionWithRef,
  type CheckRow,
  type TemplateRow,
  type UnitRow,
} from '../../data/queries.ts';
import { useReferenceRefreshedAt } from '../../data/reference.ts';
import { localDateOf } from '../../shared/schedules.ts';
import { dueChecksFor, dueState, isOverdue, latestVersions, type DueCheck, type DueState } from '../../shared/today.ts';
import { PageHeading } from '../../ui/PageHeading.tsx';
import { StorageNotice } from '../capture/StorageNotice.tsx';
import { SyncTag } from '../capture/SyncTag.tsx';
import { checkTitle, formatDate, formatTime } from '../capture/labels.ts';

const STATE_TAG: Record<DueState, { text: string; class: string }> = {
  'done': { text: 'Done', class: 'govuk-tag--green' },
  'in-progress': { text: 'In progress', class: 'govuk-tag--yellow' },
  'not-started': { text: 'Not started', class: 'govuk-tag--grey' },
};

function startHref(due: DueCheck): string {
  const query = new URLSearchParams({ schedule: due.scheduleId, unit: due.unitId, due: due.date });
  return `/checks/new?${query.toString()}`;
}

interface DueListProps {
  due: DueCheck[];
  checks: CheckRow[];
  units: Map<string, UnitRow>;
  templates: Map<string, TemplateRow>;
}

function DueList({ due, checks, units, templates }: DueListProps) {
  if (due.length === 0) return <p class="govuk-body">No checks are due from you today.</p>;
  return (
    <ul class="govuk-list app-task-list" data-testid="due-checks">
      {due.map((item) => {
        const mine = checks.filter((c) => c.scheduleId === item.scheduleId && c.unitId === item.unitId);
        const state = dueState(mine);
        const title = templates.get(item.templateId)?.definition.title ?? 'Check';
        const unit = units.get(item.unitId)?.name ?? 'Unknown unit';
        const submitted = mine.find((c) => c.status === 'submitted');
        const draft = mine.find((c) => c.status === 'draft');
        const href = submitted ? `/checks/${submitted.id}` : draft ? `/checks/${draft.id}` : startHref(item);
        return (
          <li class="app-task-list__item" key={`${item.scheduleId}/${item.unitId}`}>
            <a class="govuk-link app-task-list__link" href={href}>
              {title}
              <span class="govuk-visually-hidden">, </span>
              <span class="app-task-list__hint">{unit}</span>
            </a>
            <strong class={`govuk-tag ${STATE_TAG[state].class}`}>{STATE_TAG[state].text}</strong>
          </li>
        );
      })}
    </ul>
  );
}

function ActionList({ actions, today }: { actions: ActionWithRef[]; today: string }) {
  if (actions.length === 0) return <p class="govuk-body">No actions are assigned to you.</p>;
  return (
    <ul class="govuk-list app-task-list" data-testid="my-actions">
      {actions.map((action) => {
        const overdue = isOverdue(action, today);
        return (
          <li class="app-task-list__item" key={action.id}>
            <div>
              <span class="govuk-body-s govuk-!-font-weight-bold">{action.ref}</span> <span class="app-clamp">{action.text}</span>
              <p class="govuk-body-s govuk-!-margin-bottom-0">
                {action.due ? `Due ${formatDate(action.due)}` : action.target ? `Target: ${action.target}` : 'No target date'}{' '}
                {overdue && <strong class="govuk-tag govuk-tag--red">Overdue</strong>}
              </p>
            </div>
            <a class="govuk-button govuk-button--secondary govuk-!-margin-bottom-0" href={`/actions/${action.id}/evidence`}>
              Record evidence<span class="govuk-visually-hidden"> for {action.ref}</span>
            </a>
          </li>
        );
      })}
    </ul>
  );
}

export function TodayPage() {
  const session = useSession();
  const { info } = session;
  const today = localDateOf(new Date(), info.establishment.timeZone);
  const reference = useReferenceData();
  const refreshedAt = useReferenceRefreshedAt();
  const actions = useAssignedActions(info.user.id);
  const drafts = useDrafts(info.user.id);
  const recent = useRecentSubmitted(info.user.id, 10);
  const liveUnits = new Map((reference?.units ?? []).filter((u) => !u.archived).map((u) => [u.id, u]));
  const due = reference ? dueChecksFor(info, reference.schedules, new Set(liveUnits.keys()), today) : [];
  const checks = useChecksDueOn([...new Set(due.map((d) => d.scheduleId))], today) ?? [];
  const templates = latestVersions(reference?.templates ?? []);
  const versions = new Map((reference?.templates ?? []).map((t) => [t.id, t]));
  const units = new Map((reference?.units ?? []).map((u) => [u.id, u]));

  return (
    <>
      <span class="govuk-caption-l">{formatDate(today, { weekday: true })}</span>
      <PageHeading>Today</PageHeading>
      <StorageNotice />
      {refreshedAt === null && (
        <p class="govuk-inset-text" data-testid="no-reference">
          This device has not fetched your checks and actions yet. Connect to the network once and they will be kept for
          offline use.
        </p>
      )}
      {drafts && drafts.length > 0 && (
        <>
          <h2 class="govuk-heading-m">Carry on where you left off</h2>
          <ul class="govuk-list app-task-list" data-testid="drafts">
            {drafts.map((draft) => (
              <li class="app-task-list__item" key={draft.id}>
                <a class="govuk-link app-task-list__link" href={`/checks/${draft.id}`}>
                  {checkTitle(draft, versions)}
                  <span class="app-task-list__hint">
                    {draft.unitId ? `${units.get(draft.unitId)?.name ?? 'Unknown unit'}, ` : ''}saved {formatTime(draft.updatedAt)}
                  </span>
                </a>
                <strong class="govuk-tag govuk-tag--yellow">Draft</strong>
              </li>
            ))}
          </ul>
        </>
      )}
      <h2 class="govuk-heading-m">Checks due today</h2>
      {reference && refreshedAt && <DueList due={due} checks={checks} units={units} templates={templates} />}
      <p class="govuk-body">
        <a class="govuk-link" href="/checks/new">
          Run another check
        </a>
      </p>
      <h2 class="govuk-heading-m">My actions</h2>
      {actions && <ActionList actions={actions} today={today} />}
      {recent && recent.length > 0 && (
        <>
          <h2 class="govuk-heading-m">Submitted from this device</h2>
          <ul class="govuk-list app-task-list" data-testid="submitted">
            {recent.map(({ check, outbox }) => (
              <li class="app-task-list__item" key={check.id}>
                <a class="govuk-link app-task-list__link" href={`/checks/${check.id}`}>
                  {checkTitle(check, versions)}
                  <span class="app-task-list__hint">
                    {check.unitId ? `${units.get(check.unitId)?.name ?? 'Unknown unit'}, ` : ''}
                    {formatDate(check.submittedAt ?? check.updatedAt)} {formatTime(check.submittedAt ?? check.updatedAt)}
                  </span>
                </a>
                <SyncTag outbox={outbox} />
              </li>
            ))}
          </ul>
        </>
      )}
      {refreshedAt && <p class="govuk-body-s app-secondary-text" data-testid="reference-refreshed">Checks and actions last fetched {formatDate(refreshedAt)} at {formatTime(refreshedAt)}.</p>}
    </>
  );
}
