import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { useSession } from '../../api/sessionContext.ts';
import { startCorrection } from '../../data/checks.ts';
import { useAllActions, useReferenceData, type CheckView } from '../../data/queries.ts';
import { describeAnswer, isFailure } from '../../shared/templates/answers.ts';
import { Button } from '../../ui/form.tsx';
import { NotificationBanner } from '../../ui/NotificationBanner.tsx';
import { PageHeading } from '../../ui/PageHeading.tsx';
import { SummaryList } from '../../ui/SummaryList.tsx';
import { captureErrorMessage } from './errors.ts';
import { formatDate, formatTime } from './labels.ts';
import { PhotoList } from './PhotoField.tsx';
import { SyncTag } from './SyncTag.tsx';
import { ErrorMessage } from '../../ui/ErrorMessage.tsx';
import { DECISION_LABELS } from '../../shared/status.ts';

/** A submitted check or note as its author sees it: answers, photos, how it was reviewed, and "correct it". */
export function SubmittedCheck({ view, justSubmitted }: { view: CheckView; justSubmitted: boolean }) {
  const { check, template, photos, outbox, supersededBy, reviews } = view;
  const decision = reviews.at(-1);
  const { info } = useSession();
  const { route } = useLocation();
  const reference = useReferenceData();
  const all = useAllActions() ?? [];
  const [error, setError] = useState<string | null>(null);
  const unit = reference?.units.find((u) => u.id === check.unitId);
  const title = check.kind === 'note' ? 'Evidence note' : (template?.definition.title ?? 'Check');
  const correct = async () => {
    try {
      route(`/checks/${await startCorrection(check.id, info.user.id)}`);
    } catch (e) {
      setError(captureErrorMessage(e));
    }
  };
  return (
    <>
      {justSubmitted && (
        <NotificationBanner title="Submitted">
          <p class="govuk-notification-banner__heading">{check.kind === 'note' ? 'Evidence' : 'Check'} submitted</p>
          <p class="govuk-body">It is kept on this device and will be sent when the tablet is online.</p>
        </NotificationBanner>
      )}
      <span class="govuk-caption-l">{unit?.name ?? ''}</span>
      <PageHeading>{title}</PageHeading>
      <p class="govuk-body">
        <SyncTag outbox={outbox} />
      </p>
      {decision && (
        <div class={`govuk-inset-text${decision.decision === 'returned' ? ' app-returned' : ''}`} data-testid="review-decision">
          {DECISION_LABELS[decision.decision]} by {decision.reviewerName} on {formatDate(decision.reviewedAt)}
          {decision.reason ? `: ${decision.reason}` : '.'}
          {decision.decision === 'returned' && !supersededBy && ' Correct it below, or record the evidence again.'}
        </div>
      )}
      {supersededBy && (
        <p class="govuk-inset-text" data-testid="superseded">
          This was corrected {supersededBy.status === 'draft' ? '(correction in progress)' : ''} by{' '}
          <a class="govuk-link" href={`/checks/${supersededBy.id}`}>
            a later check
          </a>
          . Both are kept.
        </p>
      )}
      {check.supersedes && (
        <p class="govuk-inset-text">
          This corrects{' '}
          <a class="govuk-link" href={`/checks/${check.supersedes}`}>
            an earlier check
          </a>
          , which is kept as it was.
        </p>
      )}
      <SummaryList
        rows={[
          { key: 'Unit', value: unit ? `${unit.name}${check.landing ? `, landing ${check.landing}` : ''}` : 'Not about one unit' },
          ...(check.dueOn ? [{ key: 'Due for', value: formatDate(check.dueOn) }] : []),
          { key: 'Submitted', value: check.submittedAt ? `${formatDate(check.submittedAt)} at ${formatTime(check.submittedAt)}` : '' },
          ...(template ? [{ key: 'Template', value: `${template.definition.title}, version ${template.definition.version}` }] : []),
        ]}
      />
      {check.kind === 'note' && <p class="govuk-body app-pre-wrap">{check.note}</p>}
      {template?.definition.sections.map((section) => (
        <section key={section.id}>
          <h2 class="govuk-heading-m">{section.title}</h2>
          <dl class="govuk-summary-list">
            {section.items.map((item) => {
              const answer = check.answers.find((a) => a.itemId === item.id);
              const failing = isFailure(item, answer);
              const itemPhotos = photos.filter((p) => p.itemId === item.id);
              return (
                <div class={`govuk-summary-list__row${failing ? ' app-row--failing' : ''}`} key={item.id} data-testid="answer">
                  <dt class="govuk-summary-list__key">{item.question}</dt>
                  <dd class="govuk-summary-list__value">
                    {item.kind === 'photo' ? (itemPhotos.length ? '' : 'No photo') : describeAnswer(item, answer?.value)}{' '}
                    {failing && <strong class="govuk-tag govuk-tag--red">{item.kind === 'number' ? 'Out of range' : 'Fail'}</strong>}
                    {answer?.note && <p class="govuk-body-s govuk-!-margin-top-2 app-pre-wrap">Note: {answer.note}</p>}
                    <PhotoList photos={itemPhotos} label={`Photo for ${item.question}`} />
                  </dd>
                </div>
              );
            })}
          </dl>
        </section>
      ))}
      {photos.some((p) => p.itemId === null) && (
        <>
          <h2 class="govuk-heading-m">Photos</h2>
          <PhotoList photos={photos.filter((p) => p.itemId === null)} label="Photo" />
        </>
      )}
      <h2 class="govuk-heading-m">Evidence for</h2>
      {check.actionIds.length === 0 ? (
        <p class="govuk-body">No actions linked.</p>
      ) : (
        <ul class="govuk-list govuk-list--bullet">
          {check.actionIds.map((id) => {
            const action = all.find((a) => a.id === id);
            return <li key={id}>{action ? `${action.ref}: ${action.text}` : 'An action not on this device'}</li>;
          })}
        </ul>
      )}
      <ErrorMessage error={error} />
      {!supersededBy && (
        <Button secondary onClick={() => void correct()}>
          Correct this {check.kind === 'note' ? 'evidence' : 'check'}
        </Button>
      )}
      <p class="govuk-body">
        <a class="govuk-link" href="/">
          Back to Today
        </a>
      </p>
    </>
  );
}
