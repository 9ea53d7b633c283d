import { lazy } from 'preact-iso';
import { useSession } from '../../api/sessionContext.ts';
import {
  useAssignedActions,
  useDrafts,
  useRecentChecks,
  useReferenceData,
  useReferenceRefreshedAt,
  type ActionWithRef,
  type CheckRow,
  type ReferenceData,
  type TemplateRow,
  type UnitRow,
} from '../../data/queries.ts';
import { localDateOf } from '../../shared/schedules.ts';
import { dueChecksFor, dueItemState, isOverdue, latestVersions, type DueCheck, type DueState } from '../../shared/today.ts';
import { Button } from '../../ui/form.tsx';
import { PageHeading } from '../../ui/PageHeading.tsx';
import { StorageNotice } from '../capture/StorageNotice.tsx';
import { checkTitle, formatDate, formatTime, unitName } from '../capture/labels.ts';

const STATE_TAG: Record<DueState, { text: string; class: string }> = {
  'done': { text: 'Done', class: 'govuk-tag--green' },
  'in-progress': { text: 'In progress', class: 'govuk-tag--yellow' },
  'not-started': { text: 'Not started', class: 'govuk-tag--grey' },
};

function startHref(due: DueCheck): string {
  const query = new URLSearchParams({ schedule: due.scheduleId, unit: due.unitId, due: due.date });
  return `/checks/new?${query.toString()}`;
}

// What follows up work already sent (returned checks, what was sent lately) loads just after the
// first screen: it is read from the device's store a moment later anyway.
const ReturnedWork = lazy(() => import('./FollowUps.tsx').then((m) => m.ReturnedWork));
const SentFromHere = lazy(() => import('./FollowUps.tsx').then((m) => m.SentFromHere));
const MissedChecks = lazy(() => import('./MissedChecks.tsx').then((m) => m.MissedChecks));
const Reminders = lazy(() => import('../reminders/Reminders.tsx').then((m) => m.Reminders));

interface DueListProps {
  due: DueCheck[];
  checks: CheckRow[];
  units: ReadonlyMap<string, UnitRow>;
  templates: ReadonlyMap<string, TemplateRow>;
  templateOfVersion: ReadonlyMap<string, string>;
}

function DueList({ due, checks, units, templates, templateOfVersion }: DueListProps) {
  const { info } = useSession();
  if (due.length === 0) return <p class="govuk-body">No checks are due from you today.</p>;
  return (
    <ul class="govuk-list app-task-list" data-testid="due-checks">
      {due.map((item) => {
        const found = dueItemState(item, checks, templateOfVersion, info.user.id, info.establishment.timeZone);
        const { state, submittedId, draftId } = found;
        const title = templates.get(item.templateId)?.definition.title ?? 'Check';
        const href = submittedId ? `/checks/${submittedId}` : draftId ? `/checks/${draftId}` : startHref(item);
        return (
          <li class="app-task-list__item" key={`${item.scheduleId}/${item.unitId}`}>
            <a class="govuk-link app-task-list__link" href={href}>
              {title}
              <span class="govuk-visually-hidden">, </span>
              <span class="app-task-list__hint">{unitName(units, item.unitId)}</span>
            </a>
            <strong class={`govuk-tag ${STATE_TAG[state].class}`}>{STATE_TAG[state].text}</strong>
          </li>
        );
      })}
    </ul>
  );
}

/**
 * Every check the person may run, on each unit they look after, one tap away: the ones scheduled
 * on that unit first. A tap opens it at once (or their unfinished one of it).
 */
interface OtherChecksProps {
  reference: ReferenceData;
  templates: ReadonlyMap<string, TemplateRow>;
  /** The units the person looks after; none: all of them. */
  unitIds: readonly string[];
}

function OtherChecks({ reference, templates, unitIds }: OtherChecksProps) {
  const units = reference.units.filter((u) => !u.archived && (unitIds.length === 0 || unitIds.includes(u.id)));
  const all = [...templates.values()].sort((a, b) => a.definition.title.localeCompare(b.definition.title));
  if (units.length === 0 || all.length === 0) return <p class="govuk-body">There are no units or checks on this device yet.</p>;
  return (
    <div class="app-quick-checks" data-testid="other-checks">
      {units.map((unit) => {
        const onUnit = reference.schedules.filter((s) => !s.archived && s.unitIds.includes(unit.id));
        const scheduled = new Set(onUnit.map((s) => s.templateId));
        const ordered = [...all.filter((t) => scheduled.has(t.templateId)), ...all.filter((t) => !scheduled.has(t.templateId))];
        return (
          <section class="app-quick-checks__unit" key={unit.id} aria-labelledby={`quick-${unit.id}`}>
            <h3 class="govuk-heading-s govuk-!-margin-bottom-2" id={`quick-${unit.id}`}>
              {unit.name}
            </h3>
            <ul class="app-quick-checks__list">
              {ordered.map((t) => (
                <li key={t.templateId}>
                  <a class="app-quick-check" href={`/checks/new?${new URLSearchParams({ template: t.templateId, unit: unit.id }).toString()}`}>
                    {t.definition.title}
                    <span class="govuk-visually-hidden"> on {unit.name}</span>
                  </a>
                </li>
              ))}
            </ul>
          </section>
        );
      })}
    </div>
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
              <a class="govuk-link" href={`/actions/${action.id}`}>
                <span class="app-ref">{action.ref}</span> <span class="app-clamp">{action.text}</span>
              </a>
              <p class="govuk-body-s govuk-!-margin-bottom-0">
                {action.due ? `Due ${formatDate(action.due)}` : action.target ? `Target: ${action.target}` : 'No target date'}{' '}
                {overdue && <strong class="govuk-tag govuk-tag--red">Overdue</strong>}
              </p>
            </div>
            <Button secondary class="govuk-!-margin-bottom-0" href={`/actions/${action.id}`}>
              Record evidence<span class="govuk-visually-hidden"> for {action.ref}</span>
            </Button>
          </li>
        );
      })}
    </ul>
  );
}

export function TodayPage() {
  const session = useSession();
  const { info } = session;
  const now = new Date();
  const today = localDateOf(now, info.establishment.timeZone);
  const reference = useReferenceData();
  const refreshedAt = useReferenceRefreshedAt();
  const actions = useAssignedActions(info.user.id);
  const drafts = useDrafts(info.user.id);
  const checks = useRecentChecks(now) ?? [];
  const liveUnits = new Map((reference?.units ?? []).filter((u) => !u.archived).map((u) => [u.id, u]));
  const due = reference ? dueChecksFor(info, reference.schedules, new Set(liveUnits.keys()), today) : [];
  const templates = latestVersions(reference?.templates ?? []);
  const versions = new Map((reference?.templates ?? []).map((t) => [t.id, t]));
  const templateOfVersion = new Map((reference?.templates ?? []).map((t) => [t.id, t.templateId]));
  const units = new Map((reference?.units ?? []).map((u) => [u.id, u]));
  const openDrafts = drafts ?? [];

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
      <ReturnedWork versions={versions} units={units} />
      {openDrafts.length > 0 && (
        <>
          <h2 class="govuk-heading-m">Carry on where you left off</h2>
          <ul class="govuk-list app-task-list" data-testid="drafts">
            {openDrafts.map((draft) => (
              <li class="app-task-list__item" key={draft.id}>
                <a class="govuk-link app-task-list__link" href={`/checks/${draft.id}`}>
                  {checkTitle(draft, versions)}
                  <span class="app-task-list__hint">
                    {draft.unitId ? `${unitName(units, draft.unitId)}, ` : ''}saved {formatTime(draft.updatedAt)}
                  </span>
                </a>
                <strong class="govuk-tag govuk-tag--yellow">{draft.supersedes ? 'Correction' : 'Draft'}</strong>
              </li>
            ))}
          </ul>
        </>
      )}
      <h2 class="govuk-heading-m">Checks due today</h2>
      {reference && refreshedAt && (
        <DueList due={due} checks={checks} units={units} templates={templates} templateOfVersion={templateOfVersion} />
      )}
      {reference && refreshedAt && <MissedChecks reference={reference} templates={templates} units={units} today={today} />}
      {reference && refreshedAt && <Reminders reference={reference} templates={templates} units={units} />}
      {reference && refreshedAt && (
        <>
          <h2 class="govuk-heading-m">Run another check</h2>
          <OtherChecks reference={reference} templates={templates} unitIds={info.unitIds} />
          <p class="govuk-body">
            <a class="govuk-link" href="/checks/new">
              Choose a check and unit
            </a>
          </p>
        </>
      )}
      <h2 class="govuk-heading-m">My actions</h2>
      {actions && <ActionList actions={actions} today={today} />}
      <SentFromHere versions={versions} units={units} />
      {refreshedAt && <p class="govuk-body-s app-secondary-text" data-testid="reference-refreshed">Checks and actions last fetched {formatDate(refreshedAt)} at {formatTime(refreshedAt)}.</p>}
    </>
  );
}
