import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { useSession } from '../../api/sessionContext.ts';
import { startCheck } from '../../data/checks.ts';
import { useAction, useReferenceData } from '../../data/queries.ts';
import { actionsProvedBy, latestVersions } from '../../shared/today.ts';
import { Button, ErrorSummary, Form, type FieldError } from '../../ui/form.tsx';
import { PageHeading } from '../../ui/PageHeading.tsx';
import { SelectField } from '../../ui/SelectField.tsx';
import { captureErrorMessage } from './errors.ts';
import { Radios } from '../../ui/Radios.tsx';

/** Any check on any unit, chosen from a form, and linked to an action when the link names one. */
export function ChooseCheck() {
  const { query, route } = useLocation();
  const { info } = useSession();
  const reference = useReferenceData();
  const linkedAction = useAction(query.action ?? '');
  const [templateId, setTemplateId] = useState('');
  const [unitId, setUnitId] = useState(info.unitIds[0] ?? '');
  const [errors, setErrors] = useState<FieldError[]>([]);

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
      const version = reference.templates.find((t) => t.id === templateId);
      const proves = version ? actionsProvedBy(reference.schedules, version.templateId, unitId) : [];
      const id = await startCheck({
        authorId: info.user.id,
        templateVersionId: templateId,
        scheduleId: null,
        dueOn: null,
        unitId,
        actionIds: [...new Set([...(linkedAction ? [linkedAction.id] : []), ...proves])],
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
        <Radios
          name="template"
          legend="Which check?"
          legendSize="m"
          error={errorFor('template')}
          options={templates.map(({ id, definition: d }) => ({ value: id, label: d.title, hint: d.description || undefined }))}
          selected={templateId}
          onChange={setTemplateId}
        />
        <SelectField
          id="unit"
          label="Unit"
          size="m"
          empty="Choose a unit"
          value={unitId}
          options={units.map((u) => ({ value: u.id, label: u.name }))}
          onChange={setUnitId}
          error={errorFor('unit')}
        />
        <Button type="submit">Start check</Button>
      </Form>
    </>
  );
}
