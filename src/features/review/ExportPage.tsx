import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../../api/api.ts';
import { errorMessage, useRemote } from '../../api/useRemote.ts';
import { markSessionExpired } from '../../data/session.ts';
import { exportPath, type ExportFormat, type ExportRequest, type ExportScopeKind } from '../../shared/api/export.ts';
import { PlanDetail, PlanSummary } from '../../shared/api/plans.ts';
import { formatBytes } from '../../shared/format.ts';
import { ApiRequestError, networkError, responseError } from '../../shared/api/errors.ts';
import { Button, described, ErrorSummary, type FieldError, Form } from '../../ui/form.tsx';
import { ErrorMessage } from '../../ui/ErrorMessage.tsx';
import { PageHeading } from '../../ui/PageHeading.tsx';
import { Radios } from '../../ui/Radios.tsx';

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

/** The file name the server chose (`attachment; filename="evidence-1.7-….pdf"`), if it gave one. */
function fileNameOf(disposition: string | null): string | null {
  return /filename="([^"]+)"/.exec(disposition ?? '')?.[1] ?? null;
}

/**
 * Fetches a pack, reading the body as it streams so the page can say how much has arrived: a pack
 * of a whole plan with its photos runs to hundreds of megabytes and takes a while to prepare.
 */
async function fetchPack(
  format: ExportFormat,
  request: ExportRequest,
  signal: AbortSignal,
  onProgress: (received: number) => void,
): Promise<{ blob: Blob; fileName: string }> {
  let response: Response;
  try {
    response = await fetch(exportPath(format, request), { credentials: 'same-origin', signal });
  } catch (error) {
    if (signal.aborted) throw error;
    throw networkError();
  }
  if (response.status === 401) {
    markSessionExpired().catch((error: unknown) => {
      console.error('could not record the ended session', error);
    });
  }
  if (!response.ok) throw await responseError(response);
  const reader = response.body?.getReader();
  if (!reader) throw new ApiRequestError(response.status, 'no_body', 'The server sent an empty pack. Try again.');
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  let received = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      received += value.length;
      onProgress(received);
    }
  } catch (error) {
    if (signal.aborted) throw error;
    // The server stops the stream rather than send a pack with pieces missing.
    throw new ApiRequestError(0, 'interrupted', 'The download stopped before the pack was complete. Try again.');
  }
  return {
    blob: new Blob(chunks, { type: response.headers.get('content-type') ?? 'application/octet-stream' }),
    fileName: fileNameOf(response.headers.get('content-disposition')) ?? `evidence.${format}`,
  };
}

/** Hands the file to the browser's downloads, as a link with `download` would. */
function saveFile(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // Not at once: some browsers read the URL after click() has returned.
  setTimeout(() => {
    URL.revokeObjectURL(url);
  }, 60_000);
}

interface FieldProps {
  id: string;
  label: string;
  hint?: string;
  error: string | undefined;
  children: (describedBy: string | undefined) => ComponentChildren;
}

/** A GOV.UK form group: label, hint and error message wired to the control by id. */
function Field({ id, label, hint, error, children }: FieldProps) {
  const describedBy = described(id, hint, error);
  return (
    <div class={`govuk-form-group${error ? ' govuk-form-group--error' : ''}`}>
      <label class="govuk-label govuk-label--s" for={id}>
        {label}
      </label>
      {hint && (
        <div class="govuk-hint" id={`${id}-hint`}>
          {hint}
        </div>
      )}
      <ErrorMessage id={id} error={error} />
      {children(describedBy)}
    </div>
  );
}

type Download
  = | { state: 'idle' }
    | { state: 'running'; format: ExportFormat; received: number }
    | { state: 'saved'; fileName: string; size: number };

/**
 * Evidence packs for an inspector or a governors' meeting: the whole plan, one concern or one
 * action, over a date range, as a printable PDF or a CSV for a spreadsheet. Built by the server.
 */
export function ExportPage() {
  const plans = useRemote(() => api.get('/api/plans', PlanSummary.array()));
  const [chosenPlanId, setPlanId] = useState('');
  const planId = chosenPlanId || (plans.state === 'ready' ? (plans.data[0]?.id ?? '') : '');
  const plan = useRemote<PlanDetail | null>(() => (planId ? api.get(`/api/plans/${planId}`, PlanDetail) : Promise.resolve(null)), [planId]);
  const [kind, setKind] = useState<ExportScopeKind>('plan');
  const [concernId, setConcernId] = useState('');
  const [actionId, setActionId] = useState('');
  const [from, setFrom] = useState(threeMonthsAgo);
  const [to, setTo] = useState(() => localDate(new Date()));
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [download, setDownload] = useState<Download>({ state: 'idle' });
  const running = useRef<AbortController | null>(null);
  useEffect(
    () => () => {
      running.current?.abort();
    },
    [],
  );

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
    running.current?.abort();
    const controller = new AbortController();
    running.current = controller;
    setDownload({ state: 'running', format, received: 0 });
    try {
      const { blob, fileName } = await fetchPack(format, request, controller.signal, (received) => {
        setDownload({ state: 'running', format, received });
      });
      saveFile(blob, fileName);
      setDownload({ state: 'saved', fileName, size: blob.size });
    } catch (error) {
      if (controller.signal.aborted) {
        setDownload({ state: 'idle' });
        return;
      }
      setDownload({ state: 'idle' });
      setErrors([{ field: FIELD.download, message: errorMessage(error) }]);
    } finally {
      if (running.current === controller) running.current = null;
    }
  };

  const cancel = () => {
    running.current?.abort();
  };

  const busy = download.state === 'running';
  // The question each narrower scope asks next, shown beneath it while it is chosen.
  const followUps: Partial<Record<ExportScopeKind, ComponentChildren>> = {
    recommendation: (
      <Field id={FIELD.concern} label="Concern" error={errorFor(FIELD.concern)}>
        {(describedBy) => (
          <select
            class={`govuk-select${errorFor(FIELD.concern) ? ' govuk-select--error' : ''}`}
            id={FIELD.concern}
            value={concernId}
            aria-describedby={describedBy}
            onChange={(event) => {
              setConcernId(event.currentTarget.value);
            }}
          >
            <option value="">{detail ? 'Choose a concern' : 'Loading…'}</option>
            {detail?.recommendations.map((rec) => (
              <option key={rec.id} value={rec.id}>
                {`${rec.ref}: ${shorten(rec.concern ?? rec.recommendation ?? rec.category ?? '')}`}
              </option>
            ))}
          </select>
        )}
      </Field>
    ),
    action: (
      <Field id={FIELD.action} label="Action" error={errorFor(FIELD.action)}>
        {(describedBy) => (
          <select
            class={`govuk-select${errorFor(FIELD.action) ? ' govuk-select--error' : ''}`}
            id={FIELD.action}
            value={actionId}
            aria-describedby={describedBy}
            onChange={(event) => {
              setActionId(event.currentTarget.value);
            }}
          >
            <option value="">{detail ? 'Choose an action' : 'Loading…'}</option>
            {detail?.recommendations.map((rec) => (
              <optgroup key={rec.id} label={`Concern ${rec.ref}`}>
                {rec.actions.map((action) => (
                  <option key={action.id} value={action.id}>
                    {`${action.ref}: ${shorten(action.text)}`}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
        )}
      </Field>
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
          <Field id={FIELD.plan} label="Plan" error={errorFor(FIELD.plan)}>
            {(describedBy) => (
              <select
                class={`govuk-select${errorFor(FIELD.plan) ? ' govuk-select--error' : ''}`}
                id={FIELD.plan}
                value={planId}
                aria-describedby={describedBy}
                onChange={(event) => {
                  setPlanId(event.currentTarget.value);
                  setConcernId('');
                  setActionId('');
                }}
              >
                {plans.data.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.title}
                  </option>
                ))}
              </select>
            )}
          </Field>
          {plan.state === 'error' && <ErrorSummary errors={[{ field: FIELD.plan, message: plan.message }]} />}

          <Radios
            small
            name="export-scope"
            legend="What to include"
            selected={kind}
            onChange={setKind}
            options={SCOPES.map((scope) => ({ ...scope, conditional: followUps[scope.value] }))}
          />

          <Field id={FIELD.from} label="Evidence submitted from" hint="The first day to include." error={errorFor(FIELD.from)}>
            {(describedBy) => (
              <input
                class={`govuk-input govuk-input--width-10${errorFor(FIELD.from) ? ' govuk-input--error' : ''}`}
                id={FIELD.from}
                name={FIELD.from}
                type="date"
                value={from}
                aria-describedby={describedBy}
                onInput={(event) => {
                  setFrom(event.currentTarget.value);
                }}
              />
            )}
          </Field>
          <Field id={FIELD.to} label="Evidence submitted to" hint="The last day to include." error={errorFor(FIELD.to)}>
            {(describedBy) => (
              <input
                class={`govuk-input govuk-input--width-10${errorFor(FIELD.to) ? ' govuk-input--error' : ''}`}
                id={FIELD.to}
                name={FIELD.to}
                type="date"
                value={to}
                aria-describedby={describedBy}
                onInput={(event) => {
                  setTo(event.currentTarget.value);
                }}
              />
            )}
          </Field>

          <div class="govuk-button-group" id={FIELD.download}>
            <Button type="submit" disabled={busy}>
              Download PDF
            </Button>
            <Button
              secondary
              disabled={busy}
              onClick={() => {
                void start('csv');
              }}
            >
              Download CSV
            </Button>
            {busy && (
              <Button secondary onClick={cancel}>
                Cancel
              </Button>
            )}
          </div>
          <p class="govuk-body app-export__progress" role="status">
            {download.state === 'running'
              && `Preparing the ${download.format.toUpperCase()} pack… ${formatBytes(download.received)} received`}
            {download.state === 'saved' && `Saved ${download.fileName} (${formatBytes(download.size)}) to your downloads.`}
          </p>
        </Form>
      )}
    </div>
  );
}
