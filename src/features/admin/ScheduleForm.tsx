import { useState } from 'preact/hooks';
import { api } from '../../api/api.ts';
import { refusalOf } from '../../api/useRemote.ts';
import { PerformedBy, type Schedule } from '../../shared/api/capture.ts';
import { ButtonGroup } from '../../ui/ButtonGroup.tsx';
import { Checkboxes } from '../../ui/Checkboxes.tsx';
import { Checkbox, CheckboxList } from '../../ui/Checkbox.tsx';
import { Fieldset } from '../../ui/Fieldset.tsx';
import { Button, ErrorSummary, Form, type FieldError } from '../../ui/form.tsx';
import { NumberField } from '../../ui/NumberField.tsx';
import { Radios } from '../../ui/Radios.tsx';
import { SelectField } from '../../ui/SelectField.tsx';
import { templateTitle, type Reference } from './schedule-reference.ts';
import { frequencyFields, frequencyFromFields, PERFORMED_BY_LABELS, WEEKDAYS, type FrequencyFields } from './schedule-words.ts';

const PERFORMED_BY_OPTIONS = PerformedBy.options.map((value) => ({ value, label: PERFORMED_BY_LABELS[value] }));

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

/** Adds a schedule, or changes one (its template stays: another check is another schedule). */
export function ScheduleForm({ schedule, reference, onDone, onCancel }: FormProps) {
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
        await api.call('schedules.update', { params: { id: schedule.id }, body: changes });
        return `The ${title} schedule was saved.`;
      }
      await api.call('schedules.create', { body: { templateId, ...changes } });
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
        <SelectField
          id={fields.template}
          label="Check template"
          size="s"
          empty="Choose a template"
          value={templateId}
          error={errorFor(fields.template)}
          options={reference.templates
            .filter((t) => !t.latest.archived)
            .map((t) => ({ value: t.templateId, label: t.latest.definition.title }))}
          onChange={setTemplateId}
        />
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
              <SelectField
                id={fields.weekday}
                label="Day of the week"
                value={frequency.weekday}
                error={errorFor(fields.weekday)}
                options={WEEKDAYS.map((day, index) => ({ value: String(index + 1), label: day }))}
                onChange={(weekday) => { setFrequency({ ...frequency, weekday }); }}
              />
            ),
          },
          {
            value: 'month',
            label: 'Every month',
            conditional: (
              <NumberField
                id={fields.day}
                label="Day of the month"
                hint="From 1 to 31. A check on the 29th, 30th or 31st falls on the last day of shorter months."
                inputMode="numeric"
                width="2"
                value={frequency.day}
                error={errorFor(fields.day)}
                onInput={(day) => { setFrequency({ ...frequency, day }); }}
              />
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
      <Fieldset
        id={`${prefix}-actions`}
        errorId={fields.actions}
        legend="Linked actions (optional)"
        hint={`The action plan actions this check helps prove: its evidence is offered against them. ${actionIds.length} chosen.`}
        error={errorFor(fields.actions)}
      >
        {allActions.length === 0 ? (
          <p class="govuk-body">No action plans have been imported yet.</p>
        ) : (
          <div class="app-scroll-panel">
            {reference.plans.map((plan) => (
              <div key={plan.id}>
                {reference.plans.length > 1 && <p class="govuk-body govuk-!-font-weight-bold">{plan.title}</p>}
                <CheckboxList>
                  {plan.actions.map((action) => (
                    <Checkbox
                      key={action.id}
                      id={`${prefix}-actions-${action.id}`}
                      label={action.label}
                      checked={actionIds.includes(action.id)}
                      onChange={(checked) => {
                        setActionIds(checked ? [...actionIds, action.id] : actionIds.filter((id) => id !== action.id));
                      }}
                    />
                  ))}
                </CheckboxList>
              </div>
            ))}
          </div>
        )}
      </Fieldset>
      <ButtonGroup>
        <Button type="submit">{schedule ? 'Save changes' : 'Add schedule'}</Button>
        {schedule && (
          <Button
            secondary
            onClick={() =>
              void run(async () => {
                await api.call('schedules.update', { params: { id: schedule.id }, body: { archived: !schedule.archived } });
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
      </ButtonGroup>
    </Form>
  );
}
