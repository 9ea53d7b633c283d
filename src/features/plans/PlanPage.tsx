import { useRoute } from 'preact-iso';
import { api } from '../../app/api.ts';
import { useRemote } from '../../app/useRemote.ts';
import { PlanDetail } from '../../shared/api/plans.ts';
import { ErrorSummary } from '../../ui/form.tsx';
import { PageHeading } from '../../ui/PageHeading.tsx';

const STATUS: Record<string, string> = { 'complete': 'Complete', 'not-started': 'Not started', 'in-progress': 'In progress' };

export function PlanPage() {
  const { params } = useRoute();
  const id = params.id ?? '';
  const plan = useRemote(() => api.get(`/api/plans/${encodeURIComponent(id)}`, PlanDetail), [id]);
  if (plan.state === 'loading') return <p class="govuk-body">Loading…</p>;
  if (plan.state === 'error') return <ErrorSummary errors={[{ field: 'plan', message: plan.message }]} />;
  const { data } = plan;
  return (
    <>
      <PageHeading>{data.title}</PageHeading>
      <p class="govuk-body">
        {data.recommendations.length} concerns or recommendations, {data.actions} actions.{' '}
        <a class="govuk-link" href="/plans">
          All plans
        </a>
      </p>
      {data.recommendations.map((rec) => (
        <section key={rec.id} class="app-preview__rec">
          <h2 class="govuk-heading-s">
            {rec.ref} · {rec.category ?? 'No category'}
            {rec.agreement ? ` · ${rec.agreement}` : ''}
          </h2>
          {rec.concern && <p class="govuk-body">{rec.concern}</p>}
          {rec.recommendation && <p class="govuk-body">{rec.recommendation}</p>}
          <table class="govuk-table" data-testid={`actions-${rec.ref}`}>
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
                  <td class="govuk-table__cell">{action.text}</td>
                  <td class="govuk-table__cell">{action.owner ?? 'Not set'}</td>
                  <td class="govuk-table__cell">{action.target ?? 'Not set'}</td>
                  <td class="govuk-table__cell">{STATUS[action.status] ?? action.status}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ))}
    </>
  );
}
