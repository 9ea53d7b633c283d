import { useState } from 'preact/hooks';
import { api } from '../../api/api.ts';
import { errorMessage, useRemote } from '../../api/useRemote.ts';
import { type PlanPreview } from '../../shared/plan-import/schema.ts';
import { ErrorSummary } from '../../ui/form.tsx';
import { PageHeading } from '../../ui/PageHeading.tsx';
import { ImportPreview } from './ImportPreview.tsx';
import { FileUpload } from '../../ui/FileUpload.tsx';
import { PLAN_FILE_TYPES } from './plan-files.ts';

const when = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium' });

export function PlansPage() {
  const plans = useRemote(() => api.call('plans.list'));
  const [preview, setPreview] = useState<PlanPreview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [reading, setReading] = useState(false);

  const read = async (file: File) => {
    setError(null);
    setReading(true);
    try {
      setPreview(await api.call('plans.parse', { body: file }));
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setReading(false);
    }
  };

  if (preview) {
    return (
      <ImportPreview
        initial={preview}
        onCancel={() => {
          setPreview(null);
        }}
      />
    );
  }
  return (
    <>
      <PageHeading>Action plans</PageHeading>
      <ErrorSummary errors={error ? [{ field: 'plan-file', message: error }] : []} />
      {plans.state === 'error' && <ErrorSummary errors={[{ field: 'plans', message: plans.message }]} />}
      {plans.state === 'ready' && plans.data.length > 0 && (
        <table class="govuk-table app-table--stack" id="plans">
          <thead class="govuk-table__head">
            <tr class="govuk-table__row">
              <th scope="col" class="govuk-table__header">Plan</th>
              <th scope="col" class="govuk-table__header">Imported</th>
              <th scope="col" class="govuk-table__header govuk-table__header--numeric">Concerns</th>
              <th scope="col" class="govuk-table__header govuk-table__header--numeric">Actions</th>
            </tr>
          </thead>
          <tbody class="govuk-table__body">
            {plans.data.map((plan) => (
              <tr class="govuk-table__row" key={plan.id}>
                <td data-label="Plan" class="govuk-table__cell">
                  <a class="govuk-link" href={`/plans/${plan.id}`}>
                    {plan.title}
                  </a>
                </td>
                <td data-label="Imported" class="govuk-table__cell">{when.format(new Date(plan.importedAt))}</td>
                <td data-label="Concerns" class="govuk-table__cell govuk-table__cell--numeric">{plan.recommendations}</td>
                <td data-label="Actions" class="govuk-table__cell govuk-table__cell--numeric">{plan.actions}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2 class="govuk-heading-m">Import a plan</h2>
      <FileUpload
        id="plan-file"
        label="Published action plan"
        hint={
          'The Word document (.docx) or PDF as published on GOV.UK, an OpenDocument text (.odt), or the plan saved'
          + ' as text, CSV or HTML. You can check and correct everything before it is saved.'
        }
        accept={PLAN_FILE_TYPES}
        disabled={reading}
        invalid={Boolean(error)}
        onFile={(file) => void read(file)}
      />
      {reading && <p class="govuk-body" role="status">Reading the plan…</p>}
    </>
  );
}
