import { useState } from 'preact/hooks';
import { api } from '../../api/api.ts';
import { useSession } from '../../api/sessionContext.ts';
import { useOnline } from '../../api/useOnline.ts';
import { useReadable } from '../../api/useReadable.ts';
import { errorMessage } from '../../api/useRemote.ts';
import type { GapDecision, GapExplanation } from '../../shared/api/gaps.ts';
import { GAP_STATUS_LABELS, gapReasonWords, type GapStatus } from '../../shared/gap-reasons.ts';
import { hasAnyRole } from '../../shared/roles.ts';
import { ButtonGroup } from '../../ui/ButtonGroup.tsx';
import { ErrorMessage } from '../../ui/ErrorMessage.tsx';
import { Button } from '../../ui/form.tsx';
import { TextArea } from '../../ui/TextArea.tsx';
import { formatDate, formatTime } from '../capture/labels.ts';
import { asDate, LONG_DAY } from './dates.ts';

const STATUS_TAG: Record<GapStatus, string> = {
  'awaiting-review': 'govuk-tag--blue',
  'accepted': 'govuk-tag--green',
  'queried': 'govuk-tag--orange',
};

export const statusOf = (gap: GapExplanation): GapStatus => gap.review?.decision ?? 'awaiting-review';

/** Accept an explanation, or query it saying what is unclear: made on the server, so the explainer's tablet learns of it. */
function Decide({ gap, onDone }: { gap: GapExplanation; onDone: () => void }) {
  const online = useOnline();
  const [querying, setQuerying] = useState(false);
  const [comment, setComment] = useState('');
  const [error, setError] = useState<string | null>(null);
  const decide = async (decision: GapDecision) => {
    setError(null);
    try {
      await api.call('gaps.review', { params: { id: gap.id }, body: decision === 'queried' ? { decision, comment } : { decision } });
      setQuerying(false);
      onDone();
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  if (!online) return <p class="govuk-body-s app-secondary-text">Accepting or querying an explanation needs a connection.</p>;
  const id = `query-${gap.id}`;
  return (
    <div class="app-decide">
      <ErrorMessage error={error} />
      {querying ? (
        <>
          <TextArea id={id} label="What is unclear about it?" rows={2} value={comment} onInput={setComment} />
          <ButtonGroup>
            <Button warning onClick={() => void decide('queried')}>Query explanation</Button>
            <Button secondary onClick={() => { setQuerying(false); }}>Cancel</Button>
          </ButtonGroup>
        </>
      ) : (
        <ButtonGroup>
          <Button onClick={() => void decide('accepted')}>Accept<span class="govuk-visually-hidden"> this explanation</span></Button>
          <Button secondary onClick={() => { setQuerying(true); }}>Query<span class="govuk-visually-hidden"> this explanation</span></Button>
        </ButtonGroup>
      )}
    </div>
  );
}

/** One explanation: why, by whom and when, and the head of residence's decision (or the buttons to make it). */
export function Explanation({ gap, standing, onDecided, heading }: {
  gap: GapExplanation;
  standing: boolean;
  onDecided: () => void;
  heading?: string;
}) {
  const { info } = useSession();
  const status = statusOf(gap);
  const mayDecide = standing && hasAnyRole(info.roles, ['head-of-residence']);
  return (
    <div class="app-explanation" data-testid="explanation">
      {heading && <p class="govuk-body govuk-!-font-weight-bold govuk-!-margin-bottom-1">{heading}</p>}
      <p class="govuk-body govuk-!-margin-bottom-1">
        <strong class={`govuk-tag ${STATUS_TAG[status]}`}>{standing ? GAP_STATUS_LABELS[status] : 'Replaced by a later explanation'}</strong>{' '}
        <span data-testid="explanation-reason">{gapReasonWords(gap.reason, gap.detail)}</span>
      </p>
      <p class="govuk-body-s app-secondary-text govuk-!-margin-bottom-1">
        Explained by {gap.authorName}, {formatDate(gap.explainedAt)} {formatTime(gap.explainedAt)}
        {gap.review && (
          <>
            . {gap.review.decision === 'accepted' ? 'Accepted' : 'Queried'} by {gap.review.reviewerName}
            {gap.review.comment ? `: ${gap.review.comment}` : ''}
          </>
        )}
      </p>
      {mayDecide && status !== 'accepted' && <Decide gap={gap} onDone={onDecided} />}
    </div>
  );
}

/** Explanations given from the wings that wait for the head of residence, newest day first. */
export function AwaitingExplanations({ onDecided }: { onDecided: () => void }) {
  const remote = useReadable('gaps.list', { query: { status: 'awaiting-review' } });
  if (remote.state !== 'ready' || remote.data.explanations.length === 0) return null;
  const { explanations } = remote.data;
  const decided = () => {
    remote.reload();
    onDecided();
  };
  return (
    <section class="app-coverage__awaiting" aria-labelledby="awaiting-title" data-testid="awaiting-explanations">
      <h2 class="govuk-heading-m" id="awaiting-title">
        Missed checks explained, awaiting your review ({explanations.length})
      </h2>
      {explanations.map((gap) => (
        <Explanation
          key={gap.id}
          gap={gap}
          standing
          onDecided={decided}
          heading={`${gap.templateTitle}, ${gap.unitName}, ${LONG_DAY.format(asDate(gap.dueOn))}`}
        />
      ))}
    </section>
  );
}
