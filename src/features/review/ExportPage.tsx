import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../../api/api.ts';
import { errorMessage, useRemote } from '../../api/useRemote.ts';
import type { ExportFormat, ExportRequest, ExportScopeKind } from '../../shared/api/export.ts';
import { type PlanDetail } from '../../shared/api/plans.ts';
import { formatBytes } from '../../shared/format.ts';
import { ButtonGroup } from '../../ui/ButtonGroup.tsx';
import { DateInput } from '../../ui/DateInput.tsx';
import { Button, ErrorSummary, type FieldError, Form } from '../../ui/form.tsx';
import { PageHeading } from '../../ui/PageHeading.tsx';
import { Radios } from '../../ui/Radios.tsx';
import { SelectField } from '../../ui/SelectField.tsx';
import { fetchPack, saveFile } from './download.ts';

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

type Download
  = | { state: 'idle' }
    | { state: 'running'; format: ExportFormat; received: number }
    | { state: 'saved'; fileName: string; size: number };

/**
 * Evidence packs for an inspector or a governors' meeting: the whole plan, one concern or one
 * action, over a date range, as a printable PDF or a CSV for a spreadsheet. Built by the server.
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
          </ButtonGroup>
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
