import { ButtonGroup } from '../../ui/ButtonGroup.tsx';
import { useState } from 'preact/hooks';
import { api } from '../../api/api.ts';
import { useSession } from '../../api/sessionContext.ts';
import { useReadable } from '../../api/useReadable.ts';
import { errorMessage } from '../../api/useRemote.ts';
import { queueActionStatus } from '../../data/actions.ts';
import { useReferenceData } from '../../data/queries.ts';
import { type ActionDetail, type ReviewDecision } from '../../shared/api/review.ts';
import type { SettableActionStatus } from '../../shared/mutations.ts';
import { localDateOf } from '../../shared/schedules.ts';
import { completionProblem, currentDecision, displayStatus, STATUS_LABELS } from '../../shared/status.ts';
import { describeAnswer, isFailure } from '../../shared/templates/answers.ts';
import { Button, TextField } from '../../ui/form.tsx';
import { PageHeading } from '../../ui/PageHeading.tsx';
import { SummaryList } from '../../ui/SummaryList.tsx';
import { presenceWords } from '../../shared/presence.ts';
import { formatDate, formatTime } from '../capture/labels.ts';
import { Freshness } from './Freshness.tsx';
import { actionById, actionFromDevice } from '../../api/readings.ts';
import { DecisionTag, StatusTag } from '../../ui/tags.tsx';
import { ErrorMessage } from '../../ui/ErrorMessage.tsx';
import { Radios } from '../../ui/Radios.tsx';
import { TextArea } from '../../ui/TextArea.tsx';
import { WarningText } from '../../ui/WarningText.tsx';
import { REDACTED_PHOTO_WORDS } from '../../shared/photos.ts';
import { signOffChangeWords, signOffWords, type SignOff } from '../../shared/api/sign-off.ts';

type Evidence = ActionDetail['evidence'][number];

function Decide({ evidence, onDone, offline }: { evidence: Evidence; onDone: () => void; offline: boolean }) {
  const [returning, setReturning] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const decide = async (decision: ReviewDecision) => {
    setError(null);
    try {
      await api.call('checks.review', { params: { id: evidence.id }, body: decision === 'returned' ? { decision, reason } : { decision } });
      setReturning(false);
      onDone();
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  const id = `return-${evidence.id}`;
  // A decision is told to the submitter at once, so it is made on the server, not queued.
  if (offline) return <p class="govuk-body-s app-secondary-text">Accepting or returning evidence needs a connection.</p>;
  return (
    <div class="app-decide">
      <ErrorMessage error={error} />
      {returning ? (
        <>
          <TextArea id={id} label="Why is it returned?" rows={2} value={reason} onInput={setReason} />
          <ButtonGroup>
            <Button warning onClick={() => void decide('returned')}>Return evidence</Button>
            <Button secondary onClick={() => { setReturning(false); }}>Cancel</Button>
          </ButtonGroup>
        </>
      ) : (
        <ButtonGroup>
          <Button onClick={() => void decide('accepted')}>Accept<span class="govuk-visually-hidden"> this evidence</span></Button>
          <Button secondary onClick={() => { setReturning(true); }}>Return<span class="govuk-visually-hidden"> this evidence</span></Button>
        </ButtonGroup>
      )}
    </div>
  );
}

/** A photo from the server (or the copy the service worker kept); offline and never kept, it says so instead. */
function KeptPhoto({ sha256, alt }: { sha256: string; alt: string }) {
  const [missing, setMissing] = useState(false);
  if (missing) return <p class="govuk-body-s app-photo__missing">Photo not kept on this device</p>;
  return (
    <a href={`/api/blobs/${sha256}`} target="_blank" rel="noreferrer" class="app-photo__link">
      <img
        src={`/api/blobs/${sha256}`}
        alt={alt}
        class="app-photo__image"
        loading="lazy"
        onError={() => {
          setMissing(true);
        }}
      />
    </a>
  );
}

interface EvidenceCardProps {
  evidence: Evidence;
  supersededBy: Evidence | undefined;
  onChanged: () => void;
  offline: boolean;
}

function EvidenceCard({ evidence, supersededBy, onChanged, offline }: EvidenceCardProps) {
  const reference = useReferenceData();
  const template = reference?.templates.find((t) => t.id === evidence.templateVersionId);
  const unit = reference?.units.find((u) => u.id === evidence.unitId);
  const decision = currentDecision(evidence.reviews);
  const title = evidence.kind === 'note' ? 'Evidence note' : (template?.definition.title ?? 'Check');
  return (
    <article class={`app-evidence${supersededBy ? ' app-evidence--superseded' : ''}`} data-testid="evidence" aria-labelledby={`ev-${evidence.id}`}>
      <h3 class="govuk-heading-s" id={`ev-${evidence.id}`}>
        {title}, {unit?.name ?? 'no unit'}
        {evidence.landing ? ` (landing ${evidence.landing})` : ''} — {formatDate(evidence.submittedAt)} {formatTime(evidence.submittedAt)}
      </h3>
      <p class="govuk-body-s app-secondary-text">
        By {evidence.authorName}
        {template ? `, ${template.definition.title} version ${template.definition.version}` : ''}
        {evidence.dueOn ? `, due ${formatDate(evidence.dueOn)}` : ''}
      </p>
      {evidence.kind === 'check' && (
        <p class="govuk-body-s" data-testid="presence">
          <strong class={`govuk-tag ${evidence.presence?.method === 'tag' ? 'govuk-tag--green' : 'govuk-tag--grey'}`}>
            {evidence.presence?.method === 'tag' ? 'Location tag' : 'No location tag'}
          </strong>{' '}
          {presenceWords(evidence.presence, unit?.name ?? null, formatTime)}
        </p>
      )}
      {supersededBy && <p class="govuk-inset-text">Superseded by a correction made {formatDate(supersededBy.submittedAt)} {formatTime(supersededBy.submittedAt)}.</p>}
      {evidence.supersedes && <p class="govuk-body-s">This corrects earlier evidence, which is kept.</p>}
      {evidence.kind === 'note' && <p class="govuk-body app-pre-wrap">{evidence.note}</p>}
      {template && (
        <dl class="govuk-summary-list govuk-summary-list--no-border">
          {template.definition.sections.flatMap((s) => s.items).filter((item) => item.kind !== 'photo').map((item) => {
            const answer = evidence.answers.find((a) => a.itemId === item.id);
            const failing = isFailure(item, answer);
            return (
              <div class={`govuk-summary-list__row${failing ? ' app-row--failing' : ''}`} key={item.id}>
                <dt class="govuk-summary-list__key">{item.question}</dt>
                <dd class="govuk-summary-list__value">
                  {describeAnswer(item, answer?.value)}{' '}
                  {failing && <strong class="govuk-tag govuk-tag--red">{item.kind === 'number' ? 'Out of range' : 'Fail'}</strong>}
                  {answer?.note && <span class="govuk-body-s app-pre-wrap"><br />Note: {answer.note}</span>}
                </dd>
              </div>
            );
          })}
        </dl>
      )}
      {evidence.photos.length > 0 && (
        <ul class="app-photos" aria-label="Photos">
          {evidence.photos.map((p, i) => (
            <li class="app-photo" key={`${p.sha256}-${i}`}>
              <KeptPhoto sha256={p.sha256} alt={`Photo ${i + 1} of this evidence, full size`} />
              {p.redacted && (
                <span class="govuk-body-s app-photo__meta" data-testid="photo-redacted">
                  <strong class="govuk-tag govuk-tag--grey">Redacted</strong> {REDACTED_PHOTO_WORDS}
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
      {evidence.reviews.length > 0 && (
        <ul class="govuk-list" data-testid="reviews">
          {evidence.reviews.map((r) => (
            <li key={r.id}>
              <DecisionTag decision={r.decision} />{' '}
              by {r.reviewerName}, {formatDate(r.reviewedAt)} {formatTime(r.reviewedAt)}
              {r.reason ? `: ${r.reason}` : ''}
              {r !== decision && ' (since changed)'}
            </li>
          ))}
        </ul>
      )}
      <Decide evidence={evidence} onDone={onChanged} offline={offline} />
    </article>
  );
}

/** Who closed the action, bound to the evidence it rested on; loud when that evidence has changed since. */
function SignOffPanel({ signOff }: { signOff: SignOff }) {
  const changed = signOffChangeWords(signOff);
  return (
    <div class="govuk-inset-text" data-testid="sign-off">
      <p class="govuk-body">{signOffWords(signOff, `${formatDate(signOff.signedAt)} ${formatTime(signOff.signedAt)}`)}</p>
      {changed && <WarningText testId="sign-off-changed">{changed}</WarningText>}
    </div>
  );
}

const SETTABLE: SettableActionStatus[] = ['not-started', 'in-progress', 'evidence-submitted', 'complete'];

function StatusForm({ detail }: { detail: ActionDetail }) {
  const [status, setStatus] = useState<SettableActionStatus | ''>('');
  const [reason, setReason] = useState('');
  const [signedName, setSignedName] = useState('');
  const [message, setMessage] = useState<{ error: boolean; text: string } | null>(null);
  const accepted = detail.acceptedEvidence;
  const save = async () => {
    if (!status) return;
    const problem = status === 'complete' ? completionProblem({ acceptedEvidence: accepted, reason }) : null;
    if (problem) {
      setMessage({ error: true, text: problem });
      return;
    }
    if (status === 'complete' && signedName.trim() === '') {
      setMessage({ error: true, text: 'Type your name to sign off the action: it is recorded with the evidence it rests on.' });
      return;
    }
    const refused = await queueActionStatus({ actionId: detail.id, status, baseVersion: detail.version, reason, signedName });
    if (refused) {
      setMessage({ error: true, text: refused });
      return;
    }
    setMessage({ error: false, text: `Status set to “${STATUS_LABELS[status]}”. It is sent with your other changes; if someone changed this action meanwhile, it shows on the Sync page.` });
  };
  return (
    <div class="app-status-form">
      {message && <p class={message.error ? 'app-error-text' : 'govuk-body'} role="status">{message.text}</p>}
      <Radios
        name="status"
        legend="Set the action’s status"
        legendSize="m"
        small
        options={SETTABLE.map((value) => ({ value, label: STATUS_LABELS[value] }))}
        selected={status}
        onChange={setStatus}
      />
      <TextArea id="status-reason" label="Reason (needed for “Complete” without accepted evidence)" rows={2} value={reason} onInput={setReason} />
      {status === 'complete' && (
        <TextField
          id="signed-name"
          label="Your name, as your signature"
          hint="Signing off records your name, role and the time with a fingerprint (SHA-256) of the accepted evidence."
          autoComplete="name"
          width="full"
          value={signedName}
          onInput={setSignedName}
        />
      )}
      <Button secondary disabled={!status} onClick={() => void save()}>Save status</Button>
    </div>
  );
}

/** One action for the head of residence: what it is, its status, and the evidence to accept or return. */
export function ActionReviewPage({ id }: { id: string }) {
  const { info } = useSession();
  const me = { id: info.user.id, displayName: info.user.displayName };
  const detail = useReadable('actions.get', actionById(id), actionFromDevice(id, me));
  // Older evidence, a page at a time on request: an action proved daily gathers hundreds.
  const [older, setOlder] = useState<{ forId: string; evidence: Evidence[] }>({ forId: id, evidence: [] });
  const [moreError, setMoreError] = useState<string | null>(null);
  if (detail.state === 'loading') return <p class="govuk-body">Loading…</p>;
  if (detail.state === 'error') return <><PageHeading>Action</PageHeading><ErrorMessage error={detail.message} /></>;
  const a = detail.data;
  const today = localDateOf(new Date(), info.establishment.timeZone);
  const evidence = [...a.evidence, ...(older.forId === id ? older.evidence : [])];
  const supersededBy = (e: Evidence) => evidence.find((other) => other.supersedes === e.id);
  const showMore = async () => {
    setMoreError(null);
    const last = evidence.at(-1);
    try {
      const page = await api.call('actions.get', { params: { id }, query: { before: last?.id } });
      setOlder({ forId: id, evidence: [...(older.forId === id ? older.evidence : []), ...page.evidence] });
    } catch (e) {
      setMoreError(errorMessage(e));
    }
  };
  return (
    <>
      <span class="govuk-caption-l">{a.planTitle}</span>
      <PageHeading>{`Action ${a.ref}`}</PageHeading>
      <p class="govuk-body-l">{a.text}</p>
      <Freshness refreshedAt={detail.refreshedAt} fromDevice={detail.fromDevice} partial={detail.partial} />
      <SummaryList
        rows={[
          { key: 'Concern', value: <span class="app-clamp">{a.concern ?? '—'}</span> },
          { key: 'Owner', value: a.owner ?? '—' },
          { key: 'Assigned to', value: a.assigneeName ?? 'Nobody yet' },
          { key: 'Target', value: a.due ? `${a.target ?? ''} (${formatDate(a.due)})` : (a.target ?? '—') },
          { key: 'Status', value: <StatusTag status={displayStatus(a, today)} /> },
        ]}
      />
      {a.signOff && <SignOffPanel signOff={a.signOff} />}
      <StatusForm detail={a} />
      <h2 class="govuk-heading-m">Evidence ({a.evidenceTotal})</h2>
      {a.evidenceTotal === 0 && <p class="govuk-body" data-testid="no-evidence">No evidence has been recorded for this action yet.</p>}
      {evidence.map((e) => (
        <EvidenceCard
          key={e.id}
          evidence={e}
          supersededBy={supersededBy(e)}
          onChanged={detail.reload}
          offline={detail.fromDevice}
        />
      ))}
      {evidence.length < a.evidenceTotal && (
        <div class="app-more">
          <p class="govuk-body" data-testid="evidence-shown">
            Showing the newest {evidence.length} of {a.evidenceTotal}.
          </p>
          <ErrorMessage error={moreError} />
          {detail.fromDevice ? (
            <p class="govuk-body-s app-secondary-text">Older evidence can be read with a connection.</p>
          ) : (
            <Button secondary onClick={() => void showMore()}>
              Show older evidence
            </Button>
          )}
        </div>
      )}
    </>
  );
}
