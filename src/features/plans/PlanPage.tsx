import { useState } from 'preact/hooks';
import { useRoute } from 'preact-iso';
import { api } from '../../api/api.ts';
import { errorMessage, useRemote } from '../../api/useRemote.ts';
import { type PlanDiffResponse } from '../../shared/api/plans.ts';
import { withoutReadings, type ParsedPlan } from '../../shared/plan-import/schema.ts';
import { ErrorSummary } from '../../ui/form.tsx';
import { PageHeading } from '../../ui/PageHeading.tsx';
import { useProgressive } from '../../ui/useProgressive.ts';
import { Flash } from '../admin/Flash.tsx';
import { ConcernHeading } from './ConcernHeading.tsx';
import { RevisionPreview } from './RevisionPreview.tsx';
import { statusLabel } from '../../shared/status.ts';
import { FileUpload } from '../../ui/FileUpload.tsx';
import { PLAN_FILE_TYPES } from './plan-files.ts';

export function PlanPage() {
  const { params } = useRoute();
  const id = params.id ?? '';
  const plan = useRemote(() => api.call('plans.get', { params: { id } }), [id]);
  const [revision, setRevision] = useState<{ plan: ParsedPlan; diff: PlanDiffResponse } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [flash, setFlash] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const compare = async (file: File) => {
    setError(null);
    setFlash(null);
    setBusy(true);
    try {
      // Stored as the CLI prints it: how each action was read is for the import preview only.
      const revised = withoutReadings(await api.call('plans.parse', { body: file }));
      const diff = await api.call('plans.diff', { params: { id }, body: { plan: revised } });
      setRevision({ plan: revised, diff });
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  const apply = async (revised: ParsedPlan) => {
    setBusy(true);
    try {
      const result = await api.call('plans.revise', { params: { id }, body: { plan: revised } });
      setFlash(`Version ${String(result.version)} saved: ${String(result.changed)} changed, ${String(result.added)} new, ${String(result.archived)} archived.`);
      setRevision(null);
      plan.reload();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  const shown = useProgressive(plan.state === 'ready' ? plan.data.recommendations.length : 0);
  if (plan.state === 'loading') return <p class="govuk-body">Loading…</p>;
  if (plan.state === 'error') return <ErrorSummary errors={[{ field: 'plan', message: plan.message }]} />;
  const { data } = plan;
  return (
    <>
      <PageHeading>{data.title}</PageHeading>
      <Flash message={flash} />
      <ErrorSummary errors={error ? [{ field: 'revised-file', message: error }] : []} />
      <p class="govuk-body">
        {data.recommendations.length} concerns or recommendations, {data.actions} actions.{' '}
        <a class="govuk-link" href={`/plans/${id}/assign`}>
          Assign actions
        </a>{' '}
        ·{' '}
        <a class="govuk-link" href="/plans">
          All plans
        </a>
      </p>
      {revision ? (
        <RevisionPreview
          diff={revision.diff}
          busy={busy}
          onApply={() => void apply(revision.plan)}
          onCancel={() => {
            setRevision(null);
          }}
        />
      ) : (
        <FileUpload
          id="revised-file"
          label="Import a revised version of this plan"
          hint="You will see what changes before anything is saved."
          accept={PLAN_FILE_TYPES}
          disabled={busy}
          onFile={(file) => void compare(file)}
        />
      )}
      {data.recommendations.slice(0, shown).map((rec) => (
        <section key={rec.id} class="app-preview__rec">
          <ConcernHeading {...rec} />
          <table class="govuk-table app-table--stack" data-testid={`actions-${rec.ref}`}>
            <thead class="govuk-table__head">
              <tr class="govuk-table__row">
                <th scope="col" class="govuk-table__header">Action</th>
                <th scope="col" class="govuk-table__header">Owner</th>
                <th scope="col" class="govuk-table__header">Target</th>
                <th scope="col" class="govuk-table__header">Status</th>
              </tr>
            </thead>
            <tbody class="govuk-table__body">
              {rec.actions.map((action) => (
                <tr class="govuk-table__row" key={action.id}>
                  <td data-label="Action" class="govuk-table__cell">
                    <strong>{action.ref}</strong> {action.text}
                  </td>
                  <td data-label="Owner" class="govuk-table__cell">{action.owner ?? 'Not set'}</td>
                  <td data-label="Target" class="govuk-table__cell">{action.target ?? 'Not set'}</td>
                  <td data-label="Status" class="govuk-table__cell">{statusLabel(action.status)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ))}
    </>
  );
}
