import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { useSession } from '../../api/sessionContext.ts';
import { startCorrection } from '../../data/checks.ts';
import { useRecentSubmitted, useReturnedToMe } from '../../data/follow-ups.ts';
import type { TemplateRow, UnitRow } from '../../data/queries.ts';
import { Button } from '../../ui/form.tsx';
import { DecisionTag } from '../../ui/tags.tsx';
import { captureErrorMessage } from '../capture/errors.ts';
import { checkTitle, formatDate, formatTime, unitName } from '../capture/labels.ts';
import { SyncTag } from '../capture/SyncTag.tsx';
import { ErrorMessage } from '../../ui/ErrorMessage.tsx';

interface Props {
  versions: ReadonlyMap<string, TemplateRow>;
  units: ReadonlyMap<string, UnitRow>;
}

/** Evidence the head of residence sent back: first on Today, with why, until it is corrected. */
export function ReturnedWork({ versions, units }: Props) {
  const { info } = useSession();
  const items = useReturnedToMe(info.user.id);
  const { route } = useLocation();
  const [error, setError] = useState<string | null>(null);
  const correct = async (checkId: string) => {
    setError(null);
    try {
      route(`/checks/${await startCorrection(checkId, info.user.id)}`);
    } catch (e) {
      setError(captureErrorMessage(e));
    }
  };
  if (!items || items.length === 0) return null;
  return (
    <section aria-labelledby="returned-title" class="app-returned-work" data-testid="returned">
      <h2 class="govuk-heading-m" id="returned-title">
        Returned to you
      </h2>
      <ErrorMessage error={error} />
      <ul class="govuk-list app-task-list">
        {items.map(({ check, decision, correctionDraftId }) => {
          const when = check.submittedAt ?? check.updatedAt;
          const where = unitName(units, check.unitId);
          return (
            <li class="app-task-list__item app-task-list__item--stacked" key={check.id}>
              <div>
                <a class="govuk-link app-task-list__link" href={`/checks/${check.id}`}>
                  {checkTitle(check, versions)}
                  <span class="app-task-list__hint">
                    {where ? `${where}, ` : ''}
                    {formatDate(when)} {formatTime(when)}
                  </span>
                </a>
                <p class="govuk-body govuk-!-margin-bottom-2" data-testid="returned-reason">
                  <DecisionTag decision="returned" /> by {decision.reviewerName}, {formatDate(decision.reviewedAt)}
                  {decision.reason ? `: ${decision.reason}` : ''}
                </p>
              </div>
              {correctionDraftId ? (
                <Button secondary class="govuk-!-margin-bottom-0" href={`/checks/${correctionDraftId}`}>
                  Carry on correcting<span class="govuk-visually-hidden"> {checkTitle(check, versions)}</span>
                </Button>
              ) : (
                <Button onClick={() => void correct(check.id)}>
                  Correct it<span class="govuk-visually-hidden">: {checkTitle(check, versions)}{where ? `, ${where}` : ''}</span>
                </Button>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

/** What the person submitted lately from this device: sent yet, and how it was reviewed. */
export function SentFromHere({ versions, units }: Props) {
  const { info } = useSession();
  const recent = useRecentSubmitted(info.user.id, 10);
  if (!recent || recent.length === 0) return null;
  return (
    <>
      <h2 class="govuk-heading-m">Submitted from this device</h2>
      <ul class="govuk-list app-task-list" data-testid="submitted">
        {recent.map(({ check, outbox, decision }) => (
          <li class="app-task-list__item" key={check.id}>
            <a class="govuk-link app-task-list__link" href={`/checks/${check.id}`}>
              {checkTitle(check, versions)}
              <span class="app-task-list__hint">
                {check.unitId ? `${unitName(units, check.unitId)}, ` : ''}
                {formatDate(check.submittedAt ?? check.updatedAt)} {formatTime(check.submittedAt ?? check.updatedAt)}
              </span>
            </a>
            <span class="app-tags">
              <SyncTag outbox={outbox} />
              {decision && <DecisionTag decision={decision.decision} />}
            </span>
          </li>
        ))}
      </ul>
    </>
  );
}
