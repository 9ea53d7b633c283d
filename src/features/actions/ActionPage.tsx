import { ButtonGroup } from '../../ui/ButtonGroup.tsx';
import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { useSession } from '../../api/sessionContext.ts';
import { useActionView, type ActionEvidence } from '../../data/action-list.ts';
import { startNote } from '../../data/checks.ts';
import { useReferenceData } from '../../data/queries.ts';
import { hasAnyRole } from '../../shared/roles.ts';
import { localDateOf } from '../../shared/schedules.ts';
import { currentDecision, displayStatus, STATUS_LABELS } from '../../shared/status.ts';
import { isFailure } from '../../shared/templates/answers.ts';
import { Button } from '../../ui/form.tsx';
import { PageHeading } from '../../ui/PageHeading.tsx';
import { SummaryList } from '../../ui/SummaryList.tsx';
import { DecisionTag, StatusTag } from '../../ui/tags.tsx';
import { captureErrorMessage } from '../capture/errors.ts';
import { checkTitle, formatDate, formatTime } from '../capture/labels.ts';
import { ErrorMessage } from '../../ui/ErrorMessage.tsx';

function EvidenceList({ evidence, me }: { evidence: ActionEvidence[]; me: string }) {
  const reference = useReferenceData();
  const versions = new Map((reference?.templates ?? []).map((t) => [t.id, t]));
  const units = new Map((reference?.units ?? []).map((u) => [u.id, u.name]));
  if (evidence.length === 0) return <p class="govuk-body" data-testid="no-evidence">No evidence has been recorded for this action yet.</p>;
  return (
    <ul class="govuk-list app-task-list" data-testid="action-evidence">
      {evidence.map(({ check, reviews, supersededBy }) => {
        const decision = currentDecision(reviews);
        const template = check.templateVersionId ? versions.get(check.templateVersionId) : undefined;
        const items = template?.definition.sections.flatMap((s) => s.items) ?? [];
        const failures = items.filter((item) => isFailure(item, check.answers.find((a) => a.itemId === item.id))).length;
        const when = check.submittedAt ?? check.updatedAt;
        const who = check.authorId === me ? 'you' : (check.remote?.authorName ?? 'someone else');
        return (
          <li class="app-task-list__item" key={check.id}>
            <a class="govuk-link app-task-list__link" href={`/checks/${check.id}`}>
              {checkTitle(check, versions)}
              <span class="app-task-list__hint">
                {check.unitId ? `${units.get(check.unitId) ?? 'Unknown unit'}, ` : ''}
                {formatDate(when)} {formatTime(when)}, by {who}
                {failures > 0 && `, ${failures === 1 ? '1 failed item' : `${failures} failed items`}`}
                {supersededBy && ', corrected since'}
              </span>
            </a>
            {decision && <DecisionTag decision={decision.decision} />}
          </li>
        );
      })}
    </ul>
  );
}

/** One action as the device knows it: what it is, whose it is, and the evidence recorded for it. */
export function ActionPage({ id }: { id: string }) {
  const { info } = useSession();
  const { route } = useLocation();
  const view = useActionView(id);
  const [error, setError] = useState<string | null>(null);
  if (view === undefined) return null;
  if (view === null) {
    return (
      <>
        <PageHeading>Action not found</PageHeading>
        <p class="govuk-body">That action is not on this device. If it was added to the plan lately, connect to the network so it can be fetched.</p>
        <p class="govuk-body">
          <a class="govuk-link" href="/actions">
            Back to actions
          </a>
        </p>
      </>
    );
  }
  const { action, evidence } = view;
  const today = localDateOf(new Date(), info.establishment.timeZone);
  const reviews = hasAnyRole(info.roles, ['head-of-residence']);
  const addNote = async () => {
    setError(null);
    try {
      const noteId = await startNote({ authorId: info.user.id, actionIds: [action.id], unitId: info.unitIds[0] ?? null });
      route(`/checks/${noteId}`);
    } catch (e) {
      setError(captureErrorMessage(e));
    }
  };
  return (
    <>
      <span class="govuk-caption-l">{action.planTitle}</span>
      <PageHeading>{`Action ${action.ref}`}</PageHeading>
      <p class="govuk-body-l app-pre-wrap" data-testid="action-text">{action.text}</p>
      <SummaryList
        rows={[
          { key: 'Concern', value: <span class="app-pre-wrap">{`${action.concernRef}${action.concern ? `: ${action.concern}` : ''}`}</span> },
          { key: 'Owner', value: action.owner ?? 'Not set' },
          { key: 'Assigned to', value: action.assigneeId === info.user.id ? 'You' : (action.assigneeName ?? (action.assigneeId ? 'Someone else' : 'Nobody yet')) },
          { key: 'Target', value: action.due ? `${action.target ?? ''} (${formatDate(action.due)})` : (action.target ?? 'Not set') },
          {
            key: 'Status',
            value: (
              <>
                <StatusTag status={displayStatus(action, today)} />
                {action.pendingStatus && (
                  <span class="govuk-body-s app-secondary-text">
                    {' '}
                    Change to “{STATUS_LABELS[action.pendingStatus]}” waiting to sync
                  </span>
                )}
              </>
            ),
          },
        ]}
      />
      <h2 class="govuk-heading-m">Record evidence</h2>
      <ErrorMessage error={error} />
      <ButtonGroup>
        <Button href={`/checks/new?action=${action.id}`}>
          Run a check<span class="govuk-visually-hidden"> for action {action.ref}</span>
        </Button>
        <Button secondary onClick={() => void addNote()}>
          Add a note and photos<span class="govuk-visually-hidden"> for action {action.ref}</span>
        </Button>
      </ButtonGroup>
      <h2 class="govuk-heading-m">Evidence ({evidence.length})</h2>
      <EvidenceList evidence={evidence} me={info.user.id} />
      {reviews && (
        <p class="govuk-body">
          <a class="govuk-link" href={`/review/actions/${action.id}`}>
            Review this action’s evidence and set its status
          </a>
        </p>
      )}
      <p class="govuk-body">
        <a class="govuk-link" href="/actions">
          Back to actions
        </a>
      </p>
    </>
  );
}
