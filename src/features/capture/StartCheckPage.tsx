import { useEffect, useRef, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { useSession } from '../../app/sessionContext.ts';
import { findScheduledCheck, startCheck, startNote } from '../../data/checks.ts';
import { useAction, useReferenceData } from '../../data/queries.ts';
import { latestVersions } from '../../shared/today.ts';
import { Button, ErrorSummary, Form, type FieldError } from '../../ui/form.tsx';
import { PageHeading } from '../../ui/PageHeading.tsx';
import { captureErrorMessage } from './errors.ts';

/** Opens today's check for a schedule and unit: the draft already started, or a new one. */
function useScheduledStart(query: Record<string, string | undefined>) {
  const { route } = useLocation();
  const { info } = useSession();
  const reference = useReferenceData();
  const [error, setError] = useState<string | null>(null);
  const started = useRef(false);
  const { schedule: scheduleId, unit: unitId, due } = query;
  useEffect(() => {
    if (!scheduleId || !unitId || !due || !reference || started.current) return;
    started.current = true;
    const open = async () => {
      const existing = await findScheduledCheck(scheduleId, due, unitId);
      if (existing) return existing.id;
      const schedule = reference.schedules.find((s) => s.id === scheduleId);
      const template = schedule ? latestVersions(reference.templates).get(schedule.templateId) : undefined;
      if (!schedule || !template) throw new Error('That check is no longer scheduled on this device. Go back to Today.');
      const actionIds = [...schedule.actionIds];
      return startCheck({ authorId: info.user.id, templateVersionId: template.id, scheduleId, dueOn: due, unitId, actionIds });
    };
    open().then(
      (id) => {
        route(`/checks/${id}`, true);
      },
      (e: unknown) => {
        setError(captureErrorMessage(e));
      },
    );
  }, [scheduleId, unitId, due, reference]);
  return { scheduled: Boolean(scheduleId && unitId && due), error };
}

/** Run a check: today's scheduled one straight away, or any template on any unit. */
export function StartCheckPage() {
  const { query, route } = useLocation();
  const { info } = useSession();
  const reference = useReferenceData();
  const { scheduled, error: startError } = useScheduledStart(query);
  const linkedAction = useAction(query.action ?? '');
  const [templateId, setTemplateId] = useState('');
  const [unitId, setUnitId] = useState(info.unitIds[0] ?? '');
  const [errors, setErrors] = useState<FieldError[]>([]);

  if (scheduled) {
    return (
      <>
        <PageHeading>Opening the check</PageHeading>
        {startError ? <p class="govuk-error-message">{startError}</p> : <p class="govuk-body">Opening…</p>}
      </>
    );
  }
  if (!reference) return null;
  const templates = [...latestVersions(reference.templates).values()];
  templates.sort((a, b) => a.definition.title.localeCompare(b.definition.title));
  const units = reference.units.filter((u) => !u.archived);

  const start = async () => {
    const problems: FieldError[] = [];
    if (!templateId) problems.push({ field: 'template', message: 'Choose which check to run' });
    if (!unitId) problems.push({ field: 'unit', message: 'Choose the unit' });
    setErrors(problems);
    if (problems.length) return;
    try {
      const id = await startCheck({
        authorId: info.user.id,
        templateVersionId: templateId,
        scheduleId: null,
        dueOn: null,
        unitId,
        actionIds: linkedAction ? [linkedAction.id] : [],
      });
      route(`/checks/${id}`);
    } catch (e) {
      setErrors([{ field: 'template', message: captureErrorMessage(e) }]);
    }
  };
  const errorFor = (field: string) => errors.find((e) => e.field === field)?.message;

  return (
    <>
      <PageHeading>Run a check</PageHeading>
      {linkedAction && <p class="govuk-inset-text">The check will be linked to action {linkedAction.ref}: {linkedAction.text}</p>}
      <ErrorSummary errors={errors} />
      <Form onSubmit={() => void start()}>
        <div class={`govuk-form-group${errorFor('template') ? ' govuk-form-group--error' : ''}`}>
          <fieldset class="govuk-fieldset">
            <legend class="govuk-fieldset__legend govuk-fieldset__legend--m">Which check?</legend>
            {errorFor('template') && <p class="govuk-error-message">{errorFor('template')}</p>}
            <div class="govuk-radios" id="template">
              {templates.map((t) => (
                <div class="govuk-radios__item" key={t.id}>
                  <input class="govuk-radios__input" type="radio" name="template" id={`template-${t.id}`} value={t.id} checked={templateId === t.id} onChange={() => { setTemplateId(t.id); }} />
                  <label class="govuk-label govuk-radios__label" for={`template-${t.id}`}>
                    {t.definition.title}
                  </label>
                  {t.definition.description && <div class="govuk-hint govuk-radios__hint">{t.definition.description}</div>}
                </div>
              ))}
            </div>
          </fieldset>
        </div>
        <div class={`govuk-form-group${errorFor('unit') ? ' govuk-form-group--error' : ''}`}>
          <label class="govuk-label govuk-label--m" for="unit">
            Unit
          </label>
          {errorFor('unit') && <p class="govuk-error-message">{errorFor('unit')}</p>}
          <select class="govuk-select" id="unit" value={unitId} onChange={(e) => { setUnitId(e.currentTarget.value); }}>
            <option value="">Choose a unit</option>
            {units.map((u) => (
              <option key={u.id} value={u.id}>
                {u.name}
              </option>
            ))}
          </select>
        </div>
        <Button type="submit">Start check</Button>
      </Form>
    </>
  );
}

/** Free evidence for an action: opens a new note linked to it. */
export function NewEvidencePage({ id }: { id: string }) {
  const { route } = useLocation();
  const { info } = useSession();
  const action = useAction(id);
  const [error, setError] = useState<string | null>(null);
  const started = useRef(false);
  useEffect(() => {
    if (!action || started.current) return;
    started.current = true;
    startNote({ authorId: info.user.id, actionIds: [action.id], unitId: info.unitIds[0] ?? null }).then(
      (noteId) => {
        route(`/checks/${noteId}`, true);
      },
      (e: unknown) => {
        setError(captureErrorMessage(e));
      },
    );
  }, [action]);
  return (
    <>
      <PageHeading>Record evidence</PageHeading>
      {action === null && <p class="govuk-body">That action is not on this device. Connect to the network so it can be fetched.</p>}
      {action && (
        <>
          <p class="govuk-body">
            {action.ref}: {action.text}
          </p>
          <p class="govuk-body">
            <a class="govuk-link" href={`/checks/new?action=${action.id}`}>
              Run a check for this action instead
            </a>
          </p>
        </>
      )}
      {error && <p class="govuk-error-message">{error}</p>}
    </>
  );
}
