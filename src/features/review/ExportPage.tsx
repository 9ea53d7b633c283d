import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api } from '../../api/api.ts';
import { errorMessage, useRemote } from '../../api/useRemote.ts';
import { exportQueryOf, type ExportFormat, type ExportJob, type ExportRequest, type ExportScopeKind } from '../../shared/api/export.ts';
import { type PlanDetail } from '../../shared/api/plans.ts';
import { formatBytes } from '../../shared/format.ts';
import { ButtonGroup } from '../../ui/ButtonGroup.tsx';
import { formatDate, formatTime } from '../capture/labels.ts';
import { DateInput } from '../../ui/DateInput.tsx';
import { Button, ErrorSummary, type FieldError, Form } from '../../ui/form.tsx';
import { PageHeading } from '../../ui/PageHeading.tsx';
import { Radios } from '../../ui/Radios.tsx';
import { SelectField } from '../../ui/SelectField.tsx';

const FIELD = {
  plan: 'export-plan',
  concern: 'export-concern',
  action: 'export-action',
  from: 'export-from',
  to: 'export-to',
  download: 'export-download',
} as const;

const SCOPES: readonly { value: ExportScopeKind; label: string }[] = [
  { value: 'plan', label: 'The whole plan' },
  { value: 'recommendation', label: 'One concern and its actions' },
  { value: 'action', label: 'One action' },
];

/** YYYY-MM-DD of this device's calendar, as date inputs and the server's query expect. */
function localDate(date: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())}`;
}

function threeMonthsAgo(): string {
  const date = new Date();
  date.setMonth(date.getMonth() - 3);
  return localDate(date);
}

const shorten = (text: string, max = 90) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** While a pack is being made, the list is read again this often. */
const WATCH_MS = 1_500;

const STATE_TAG: Record<ExportJob['state'], { label: string; tag: string }> = {
  queued: { label: 'Waiting', tag: 'govuk-tag--grey' },
  running: { label: 'Being made', tag: 'govuk-tag--blue' },
  ready: { label: 'Ready', tag: 'govuk-tag--green' },
  failed: { label: 'Failed', tag: 'govuk-tag--red' },
  expired: { label: 'Expired', tag: 'govuk-tag--grey' },
};

const ASKED_WORDS: Record<ExportJob['state'], string> = {
  queued: 'is waiting to be made.',
  running: 'is being made.',
  ready: 'is ready: download it from the list below.',
  failed: 'could not be made.',
  expired: 'has expired.',
};

const working = (job: ExportJob) => job.state === 'queued' || job.state === 'running';

/** How far a pack being made has got, in words a person can follow. */
function progressWords(job: ExportJob): string {
  if (job.state === 'queued') return 'Waiting for the server to start it';
  const { done, total } = job.progress;
  if (total === null) return 'Counting the evidence';
  if (total === 0) return 'Writing the pack';
  return `${done.toLocaleString('en-GB')} of ${total.toLocaleString('en-GB')} pieces of evidence written`;
}

/**
 * The establishment's packs, newest first, read again while any is being made: the server makes
 * them in the background, so a whole plan's pack never times out and survives a server restart.
 */
function usePacks(): { packs: ExportJob[] | null; error: string | null; add: (job: ExportJob) => void } {
  const [packs, setPacks] = useState<ExportJob[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [asked, setAsked] = useState(0);
  const busy = packs?.some(working) ?? false;
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const read = async () => {
      try {
        const list = await api.call('exports.list');
        if (stopped) return;
        setPacks(list);
        setError(null);
        if (list.some(working)) timer = setTimeout(() => void read(), WATCH_MS);
      } catch (failure) {
        if (stopped) return;
        setError(errorMessage(failure));
        timer = setTimeout(() => void read(), WATCH_MS * 4);
      }
    };
    void read();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [asked, busy]);
  return {
    packs,
    error,
    add: (job) => {
      setPacks((list) => [job, ...(list ?? []).filter((p) => p.id !== job.id)]);
      setAsked((n) => n + 1);
    },
  };
}

function PackRow({ job }: { job: ExportJob }) {
  const state = STATE_TAG[job.state];
  return (
    <tr class="govuk-table__row" data-testid="pack">
      <td data-label="Pack" class="govuk-table__cell">
        {job.title} ({job.format.toUpperCase()})
        <br />
        <span class="govuk-hint govuk-!-margin-0">{formatDate(job.from)} to {formatDate(job.to)}</span>
      </td>
      <td data-label="Asked for" class="govuk-table__cell">
        {formatDate(job.requestedAt)} {formatTime(job.requestedAt)}
        <br />
        <span class="govuk-hint govuk-!-margin-0">by {job.requestedBy}</span>
      </td>
      <td data-label="Status" class="govuk-table__cell">
        <strong class={`govuk-tag ${state.tag}`}>{state.label}</strong>
        {working(job) && <p class="govuk-body-s govuk-!-margin-top-1 govuk-!-margin-bottom-0">{progressWords(job)}</p>}
        {job.state === 'failed' && job.error && <p class="govuk-body-s govuk-!-margin-top-1 govuk-!-margin-bottom-0">It {job.error}. Ask for it again.</p>}
      </td>
      <td data-label="File" class="govuk-table__cell">
        {job.state === 'ready' && (
          <>
            <a class="govuk-link" href={`/api/exports/${job.id}/file`} download={job.fileName}>
              Download<span class="govuk-visually-hidden"> {job.title} ({job.format.toUpperCase()})</span>
            </a>{' '}
            ({formatBytes(job.size ?? 0)})
            {job.expiresAt && (
              <>
                <br />
                <span class="govuk-hint govuk-!-margin-0">Until {formatDate(job.expiresAt)}</span>
              </>
            )}
          </>
        )}
      </td>
    </tr>
  );
}

/**
 * Evidence packs for an inspector or a governors' meeting: the whole plan, one concern or one
 * action, over a date range, as a printable PDF or a CSV for a spreadsheet. Made by the server in
 * the background and kept for a week, for anyone here who reviews evidence to download.
 */
export function ExportPage() {
  const plans = useRemote(() => api.call('plans.list'));
  const [chosenPlanId, setPlanId] = useState('');
  const planId = chosenPlanId || (plans.state === 'ready' ? (plans.data[0]?.id ?? '') : '');
  const plan = useRemote<PlanDetail | null>(() => (planId ? api.call('plans.get', { params: { id: planId } }) : Promise.resolve(null)), [planId]);
  const [kind, setKind] = useState<ExportScopeKind>('plan');
  const [concernId, setConcernId] = useState('');
  const [actionId, setActionId] = useState('');
  const [from, setFrom] = useState(threeMonthsAgo);
  const [to, setTo] = useState(() => localDate(new Date()));
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [asking, setAsking] = useState(false);
  const packs = usePacks();
  const [askedId, setAskedId] = useState<string | null>(null);
  const asked = packs.packs?.find((job) => job.id === askedId) ?? null;

  const errorFor = (field: string) => errors.find((e) => e.field === field)?.message;
  const detail = plan.state === 'ready' ? plan.data : null;

  const check = (): { request: ExportRequest | null; problems: FieldError[] } => {
    const problems: FieldError[] = [];
    if (!planId) problems.push({ field: FIELD.plan, message: 'Choose a plan' });
    if (kind === 'recommendation' && !concernId) problems.push({ field: FIELD.concern, message: 'Choose a concern' });
    if (kind === 'action' && !actionId) problems.push({ field: FIELD.action, message: 'Choose an action' });
    if (!/^\d{4}-\d{2}-\d{2}$/.test(from)) problems.push({ field: FIELD.from, message: 'Enter the first day of evidence to include' });
    if (!/^\d{4}-\d{2}-\d{2}$/.test(to)) problems.push({ field: FIELD.to, message: 'Enter the last day of evidence to include' });
    else if (from > to) problems.push({ field: FIELD.to, message: 'The last day must be the same as the first day or later' });
    if (problems.length > 0) return { request: null, problems };
    const id = kind === 'plan' ? planId : kind === 'recommendation' ? concernId : actionId;
    return { request: { scope: { kind, id }, from, to }, problems };
  };

  const start = async (format: ExportFormat) => {
    const { request, problems } = check();
    setErrors(problems);
    if (!request) return;
    setAsking(true);
    try {
      const job = await api.call('exports.create', { body: { format, ...exportQueryOf(request) } });
      packs.add(job);
      setAskedId(job.id);
    } catch (error) {
      setErrors([{ field: FIELD.download, message: errorMessage(error) }]);
    } finally {
      setAsking(false);
    }
  };

  // The question each narrower scope asks next, shown beneath it while it is chosen.
  const followUps: Partial<Record<ExportScopeKind, ComponentChildren>> = {
    recommendation: (
      <SelectField
        id={FIELD.concern}
        label="Concern"
        size="s"
        empty={detail ? 'Choose a concern' : 'Loading…'}
        value={concernId}
        error={errorFor(FIELD.concern)}
        options={detail?.recommendations.map((rec) => ({
          value: rec.id,
          label: `${rec.ref}: ${shorten(rec.concern ?? rec.recommendation ?? rec.category ?? '')}`,
        })) ?? []}
        onChange={setConcernId}
      />
    ),
    action: (
      <SelectField
        id={FIELD.action}
        label="Action"
        size="s"
        empty={detail ? 'Choose an action' : 'Loading…'}
        value={actionId}
        error={errorFor(FIELD.action)}
        options={detail?.recommendations.map((rec) => ({
          group: `Concern ${rec.ref}`,
          options: rec.actions.map((action) => ({ value: action.id, label: `${action.ref}: ${shorten(action.text)}` })),
        })) ?? []}
        onChange={setActionId}
      />
    ),
  };

  return (
    <div class="app-export">
      <PageHeading>Download an evidence pack</PageHeading>
      <p class="govuk-body">
        A pack holds the actions you choose with every check and note recorded for them between two dates: answers, failures,
        notes, photos and review decisions, and the audit trail. The PDF is for printing and reading; the CSV opens in a
        spreadsheet.
      </p>
      <p class="govuk-body">
        The server makes the pack while you wait or do something else: a whole plan with its photos can take a few minutes. Packs
        are listed below until a week after they are made.
      </p>
      <ErrorSummary errors={errors} />
      {plans.state === 'error' && <ErrorSummary errors={[{ field: FIELD.plan, message: plans.message }]} />}
      {plans.state === 'loading' && <p class="govuk-body">Loading the plans…</p>}
      {plans.state === 'ready' && plans.data.length === 0 && <p class="govuk-body">There are no plans yet. An admin imports them.</p>}
      {plans.state === 'ready' && plans.data.length > 0 && (
        <Form
          onSubmit={() => {
            void start('pdf');
          }}
        >
          <SelectField
            id={FIELD.plan}
            label="Plan"
            size="s"
            value={planId}
            error={errorFor(FIELD.plan)}
            options={plans.data.map((p) => ({ value: p.id, label: p.title }))}
            onChange={(value) => {
              setPlanId(value);
              setConcernId('');
              setActionId('');
            }}
          />
          {plan.state === 'error' && <ErrorSummary errors={[{ field: FIELD.plan, message: plan.message }]} />}

          <Radios
            small
            name="export-scope"
            legend="What to include"
            selected={kind}
            onChange={setKind}
            options={SCOPES.map((scope) => ({ ...scope, conditional: followUps[scope.value] }))}
          />

          <DateInput id={FIELD.from} label="Evidence submitted from" hint="The first day to include." size="s" value={from} onInput={setFrom} error={errorFor(FIELD.from)} />
          <DateInput id={FIELD.to} label="Evidence submitted to" hint="The last day to include." size="s" value={to} onInput={setTo} error={errorFor(FIELD.to)} />

          <ButtonGroup id={FIELD.download}>
            <Button type="submit" disabled={asking}>
              Create PDF pack
            </Button>
            <Button
              secondary
              disabled={asking}
              onClick={() => {
                void start('csv');
              }}
            >
              Create CSV pack
            </Button>
          </ButtonGroup>
        </Form>
      )}

      {/* Said once per change of state, not at each reading of the progress. */}
      <p class="govuk-body app-export__progress" role="status">
        {asked && `The ${asked.format.toUpperCase()} pack of ${asked.title.toLowerCase()} ${ASKED_WORDS[asked.state]}`}
      </p>

      <h2 class="govuk-heading-m">Packs</h2>
      {packs.error && <ErrorSummary errors={[{ field: 'packs', message: packs.error }]} />}
      {packs.packs === null && !packs.error && <p class="govuk-body">Loading the packs…</p>}
      {packs.packs?.length === 0 && <p class="govuk-body">No packs have been asked for here yet.</p>}
      {packs.packs && packs.packs.length > 0 && (
        <table class="govuk-table app-table--stack" id="packs">
          <thead class="govuk-table__head">
            <tr class="govuk-table__row">
              <th scope="col" class="govuk-table__header">Pack</th>
              <th scope="col" class="govuk-table__header">Asked for</th>
              <th scope="col" class="govuk-table__header">Status</th>
              <th scope="col" class="govuk-table__header">File</th>
            </tr>
          </thead>
          <tbody class="govuk-table__body">
            {packs.packs.map((job) => <PackRow key={job.id} job={job} />)}
          </tbody>
        </table>
      )}
    </div>
  );
}
