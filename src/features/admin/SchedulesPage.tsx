import { useState } from 'preact/hooks';
import { api } from '../../api/api.ts';
import { refusalOf, useRemote } from '../../api/useRemote.ts';
import { Unit } from '../../shared/api/admin.ts';
import { PerformedBy, Schedule, TemplateVersionRecord } from '../../shared/api/capture.ts';
import { PlanDetail, PlanSummary } from '../../shared/api/plans.ts';
import { Button, ChangeButton, Checkboxes, ErrorSummary, Form, type FieldError } from '../../ui/form.tsx';
import { ErrorMessage } from '../../ui/ErrorMessage.tsx';
import { PageHeading } from '../../ui/PageHeading.tsx';
import { Radios } from '../../ui/Radios.tsx';
import { Flash } from './Flash.tsx';
import {
  actionLabel,
  describeFrequency,
  frequencyFields,
  frequencyFromFields,
  PERFORMED_BY_LABELS,
  WEEKDAYS,
  type FrequencyFields,
} from './schedule-words.ts';
import { groupTemplates, type TemplateSummary } from './template-editor.ts';
import { useAdminList } from './useAdminList.ts';

/** What a schedule is made from: templates, units, and the plans' actions it can be linked to. */
interface Reference {
  templates: TemplateSummary[];
  units: Unit[];
  plans: { id: string; title: string; actions: { id: string; label: string }[] }[];
}

async function loadReference(): Promise<Reference> {
  const [records, units, plans] = await Promise.all([
    api.get('/api/templates', TemplateVersionRecord.array()),
    api.get('/api/units', Unit.array()),
    api.get('/api/plans', PlanSummary.array()),
  ]);
  const details = await Promise.all(plans.map((plan) => api.get(`/api/plans/${encodeURIComponent(plan.id)}`, PlanDetail)));
  return {
    templates: groupTemplates(records),
    units,
    plans: details.map((plan) => ({
      id: plan.id,
      title: plan.title,
      actions: plan.recommendations.flatMap((r) => r.actions.map((a) => ({ id: a.id, label: actionLabel(a.ref, a.text) }))),
    })),
  };
}

const PERFORMED_BY_OPTIONS = PerformedBy.options.map((value) => ({ value, label: PERFORMED_BY_LABELS[value] }));

function templateTitle(reference: Reference, templateId: string): string {
  return reference.templates.find((t) => t.templateId === templateId)?.latest.definition.title ?? 'Unknown template';
}

/** The input for the request field the server named (`unitIds.2` → the units), for the summary's link. */
function fieldOfIssue(path: string | undefined, fields: Record<'template' | 'frequency' | 'units' | 'actions', string>): string {
  const root = path?.split('.')[0];
  if (root === 'unitIds') return fields.units;
  if (root === 'actionIds') return fields.actions;
  if (root === 'frequency') return fields.frequency;
  return fields.template;
}

interface FormProps {
  schedule: Schedule | null;
  reference: Reference;
  onDone: (message: string) => void;
  onCancel?: () => void;
}

function ScheduleForm({ schedule, reference, onDone, onCancel }: FormProps) {
  const prefix = schedule ? 'edit-schedule' : 'new-schedule';
  const [templateId, setTemplateId] = useState(schedule?.templateId ?? '');
  const [frequency, setFrequency] = useState<FrequencyFields>(frequencyFields(schedule?.frequency));
  const [performedBy, setPerformedBy] = useState<PerformedBy>(schedule?.performedBy ?? 'unit-manager');
  const [unitIds, setUnitIds] = useState<string[]>(schedule?.unitIds ?? []);
  const [actionIds, setActionIds] = useState<string[]>(schedule?.actionIds ?? []);
  const [errors, setErrors] = useState<FieldError[]>([]);
  // Archived units are offered only where already chosen, so they can be taken off.
  const units = reference.units.filter((u) => !u.archived || unitIds.includes(u.id));
  const allActions = reference.plans.flatMap((p) => p.actions);
  const fields = {
    template: `${prefix}-template`,
    frequency: `${prefix}-every-${frequency.every}`,
    weekday: `${prefix}-weekday`,
    day: `${prefix}-day`,
    units: `${prefix}-units-${units[0]?.id ?? ''}`,
    actions: `${prefix}-actions-${allActions[0]?.id ?? ''}`,
  };
  const title = templateTitle(reference, templateId);

  const run = async (action: () => Promise<string>) => {
    setErrors([]);
    try {
      onDone(await action());
      if (!schedule) {
        setTemplateId('');
        setFrequency(frequencyFields(undefined));
        setPerformedBy('unit-manager');
        setUnitIds([]);
        setActionIds([]);
      }
    } catch (error) {
      const { message, issues } = refusalOf(error);
      setErrors([{ field: fieldOfIssue(issues[0]?.path, fields), message }]);
    }
  };
  const submit = () => {
    const problems: FieldError[] = [];
    if (!schedule && !templateId) problems.push({ field: fields.template, message: 'Choose the check template' });
    const parsed = frequencyFromFields(frequency);
    if (!parsed.ok) problems.push({ field: frequency.every === 'week' ? fields.weekday : fields.day, message: parsed.message });
    if (unitIds.length === 0) problems.push({ field: fields.units, message: 'Choose at least one unit' });
    if (problems.length || !parsed.ok) {
      setErrors(problems);
      return;
    }
    const changes = { frequency: parsed.frequency, performedBy, unitIds, actionIds };
    void run(async () => {
      if (schedule) {
        await api.patch(`/api/schedules/${schedule.id}`, changes, Schedule);
        return `The ${title} schedule was saved.`;
      }
      await api.post('/api/schedules', { templateId, ...changes }, Schedule);
      return `The ${title} schedule was added.`;
    });
  };
  const errorFor = (field: string) => errors.find((e) => e.field === field)?.message;

  return (
    <Form class={schedule ? 'app-panel' : undefined} onSubmit={submit}>
      <h2 class="govuk-heading-m">{schedule ? `Change the ${title} schedule` : 'Add a schedule'}</h2>
      <ErrorSummary errors={errors} />
      {schedule ? (
        <p class="govuk-body">
          Template: <strong>{title}</strong>. To schedule a different check, add a new schedule.
        </p>
      ) : (
        <div class={`govuk-form-group${errorFor(fields.template) ? ' govuk-form-group--error' : ''}`}>
          <label class="govuk-label govuk-label--s" for={fields.template}>
            Check template
          </label>
          <ErrorMessage id={fields.template} error={errorFor(fields.template)} />
          <select
            class={`govuk-select${errorFor(fields.template) ? ' govuk-select--error' : ''}`}
            id={fields.template}
            value={templateId}
            aria-describedby={errorFor(fields.template) ? `${fields.template}-error` : undefined}
            onChange={(event) => { setTemplateId(event.currentTarget.value); }}
          >
            <option value="">Choose a template</option>
            {reference.templates
              .filter((t) => !t.latest.archived)
              .map((t) => (
                <option key={t.templateId} value={t.templateId}>
                  {t.latest.definition.title}
                </option>
              ))}
          </select>
        </div>
      )}
      <Radios
        small
        name={`${prefix}-every`}
        legend="How often"
        selected={frequency.every}
        onChange={(every) => { setFrequency({ ...frequency, every }); }}
        options={[
          { value: 'day', label: 'Every day' },
          {
            value: 'week',
            label: 'Every week',
            conditional: (
              <div class={`govuk-form-group${errorFor(fields.weekday) ? ' govuk-form-group--error' : ''}`}>
                <label class="govuk-label" for={fields.weekday}>
                  Day of the week
                </label>
                <ErrorMessage id={fields.weekday} error={errorFor(fields.weekday)} />
                <select
                  class="govuk-select"
                  id={fields.weekday}
                  value={frequency.weekday}
                  aria-describedby={errorFor(fields.weekday) ? `${fields.weekday}-error` : undefined}
                  onChange={(event) => { setFrequency({ ...frequency, weekday: event.currentTarget.value }); }}
                >
                  {WEEKDAYS.map((day, index) => (
                    <option key={day} value={String(index + 1)}>
                      {day}
                    </option>
                  ))}
                </select>
              </div>
            ),
          },
          {
            value: 'month',
            label: 'Every month',
            conditional: (
              <div class={`govuk-form-group${errorFor(fields.day) ? ' govuk-form-group--error' : ''}`}>
                <label class="govuk-label" for={fields.day}>
                  Day of the month
                </label>
                <div class="govuk-hint" id={`${fields.day}-hint`}>
                  From 1 to 31. A check on the 29th, 30th or 31st falls on the last day of shorter months.
                </div>
                <ErrorMessage id={fields.day} error={errorFor(fields.day)} />
                <input
                  class={`govuk-input govuk-input--width-2${errorFor(fields.day) ? ' govuk-input--error' : ''}`}
                  id={fields.day}
                  type="text"
                  inputMode="numeric"
                  spellcheck={false}
                  value={frequency.day}
                  aria-describedby={`${fields.day}-hint${errorFor(fields.day) ? ` ${fields.day}-error` : ''}`}
                  onInput={(event) => { setFrequency({ ...frequency, day: event.currentTarget.value }); }}
                />
              </div>
            ),
          },
        ]}
      />
      <Radios
        small
        name={`${prefix}-performed-by`}
        legend="Performed by"
        hint="Their Today screen lists the check for the units they look after."
        selected={performedBy}
        onChange={setPerformedBy}
        options={PERFORMED_BY_OPTIONS}
      />
      <Checkboxes
        id={`${prefix}-units`}
        legend="Units"
        options={units.map((u) => ({ value: u.id, label: u.archived ? `${u.name} (archived)` : u.name }))}
        selected={unitIds}
        onChange={setUnitIds}
        error={errorFor(fields.units)}
      />
      <div class={`govuk-form-group${errorFor(fields.actions) ? ' govuk-form-group--error' : ''}`}>
        <fieldset class="govuk-fieldset" aria-describedby={`${prefix}-actions-hint`}>
          <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Linked actions (optional)</legend>
          <div class="govuk-hint" id={`${prefix}-actions-hint`}>
            The action plan actions this check helps prove: its evidence is offered against them. {actionIds.length} chosen.
          </div>
          <ErrorMessage id={fields.actions} error={errorFor(fields.actions)} />
          {allActions.length === 0 ? (
            <p class="govuk-body">No action plans have been imported yet.</p>
          ) : (
            <div class="app-scroll-panel">
              {reference.plans.map((plan) => (
                <div key={plan.id}>
                  {reference.plans.length > 1 && <p class="govuk-body govuk-!-font-weight-bold">{plan.title}</p>}
                  <div class="govuk-checkboxes govuk-checkboxes--small">
                    {plan.actions.map((action) => (
                      <div class="govuk-checkboxes__item" key={action.id}>
                        <input
                          class="govuk-checkboxes__input"
                          id={`${prefix}-actions-${action.id}`}
                          type="checkbox"
                          checked={actionIds.includes(action.id)}
                          onChange={(event) => {
                            const checked = event.currentTarget.checked;
                            setActionIds(checked ? [...actionIds, action.id] : actionIds.filter((id) => id !== action.id));
                          }}
                        />
                        <label class="govuk-label govuk-checkboxes__label" for={`${prefix}-actions-${action.id}`}>
                          {action.label}
                        </label>
                      </div>
                    ))}
                  </div>
                </div>
              ))}
            </div>
          )}
        </fieldset>
      </div>
      <div class="govuk-button-group">
        <Button type="submit">{schedule ? 'Save changes' : 'Add schedule'}</Button>
        {schedule && (
          <Button
            secondary
            onClick={() =>
              void run(async () => {
                await api.patch(`/api/schedules/${schedule.id}`, { archived: !schedule.archived }, Schedule);
                return schedule.archived
                  ? `The ${title} schedule is back in use.`
                  : `The ${title} schedule was archived: checks already made stay.`;
              })}
          >
            {schedule.archived ? 'Restore schedule' : 'Archive schedule'}
          </Button>
        )}
        {onCancel && (
          <Button secondary onClick={onCancel}>
            Cancel
          </Button>
        )}
      </div>
    </Form>
  );
}

export function SchedulesPage() {
  const { list: schedules, flash, editingItem, startEditing, stopEditing, done } = useAdminList(() => api.get('/api/schedules', Schedule.array()));
  const reference = useRemote(loadReference);
  const ready = reference.state === 'ready' ? reference.data : null;
  const unitName = (id: string) => ready?.units.find((u) => u.id === id)?.name ?? 'Unknown unit';
  return (
    <>
      <PageHeading>Schedules</PageHeading>
      <p class="govuk-body">
        Which checks are due, how often, on which units, and who does them. Each check made from a schedule can prove the
        actions linked to it.
      </p>
      <Flash message={flash} />
      {(schedules.state === 'loading' || reference.state === 'loading') && <p class="govuk-body">Loading…</p>}
      {schedules.state === 'error' && <ErrorSummary errors={[{ field: 'schedules', message: schedules.message }]} />}
      {reference.state === 'error' && <ErrorSummary errors={[{ field: 'schedules', message: reference.message }]} />}
      {editingItem && ready && (
        <ScheduleForm key={editingItem.id} schedule={editingItem} reference={ready} onDone={done} onCancel={stopEditing} />
      )}
      {/* Names come from the reference data: the table waits for it rather than show ids. */}
      {schedules.state === 'ready' && ready && (
        <table class="govuk-table app-table--stack" id="schedules">
          <caption class="govuk-table__caption govuk-table__caption--m">Recurring checks</caption>
          <thead class="govuk-table__head">
            <tr class="govuk-table__row">
              <th scope="col" class="govuk-table__header">Check</th>
              <th scope="col" class="govuk-table__header">How often</th>
              <th scope="col" class="govuk-table__header">Performed by</th>
              <th scope="col" class="govuk-table__header">Units</th>
              <th scope="col" class="govuk-table__header govuk-table__header--numeric">Linked actions</th>
              <th scope="col" class="govuk-table__header"><span class="govuk-visually-hidden">Actions</span></th>
            </tr>
          </thead>
          <tbody class="govuk-table__body">
            {schedules.data.map((schedule) => {
              const title = templateTitle(ready, schedule.templateId);
              const often = describeFrequency(schedule.frequency);
              return (
                <tr class="govuk-table__row" key={schedule.id}>
                  {/* The archived tag sits with the title, not in a column, so the table fits an upright tablet. */}
                  <td data-label="Check" class="govuk-table__cell">
                    {title}
                    {schedule.archived && (
                      <>
                        {' '}
                        <strong class="govuk-tag govuk-tag--grey">Archived</strong>
                      </>
                    )}
                  </td>
                  <td data-label="How often" class="govuk-table__cell">{often}</td>
                  <td data-label="Performed by" class="govuk-table__cell">{PERFORMED_BY_LABELS[schedule.performedBy]}</td>
                  <td data-label="Units" class="govuk-table__cell">
                    <ul class="govuk-list govuk-!-margin-bottom-0">
                      {schedule.unitIds.map((id) => <li key={id}>{unitName(id)}</li>)}
                    </ul>
                  </td>
                  <td data-label="Linked actions" class="govuk-table__cell govuk-table__cell--numeric">{schedule.actionIds.length}</td>
                  <td class="govuk-table__cell">
                    <ChangeButton name={`${title}, ${often}`} onClick={() => { startEditing(schedule.id); }} />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {ready && <ScheduleForm schedule={null} reference={ready} onDone={done} />}
    </>
  );
}
