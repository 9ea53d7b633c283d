import { api } from '../../api/api.ts';
import { useRemote } from '../../api/useRemote.ts';
import { Button, ErrorSummary } from '../../ui/form.tsx';
import { PageHeading } from '../../ui/PageHeading.tsx';
import { groupTemplates } from './template-summary.ts';

export function TemplatesPage() {
  const templates = useRemote(async () => groupTemplates(await api.call('templates.list')));
  return (
    <>
      <PageHeading>Check templates</PageHeading>
      <p class="govuk-body">
        The questions each recurring check asks. A change is saved as a new version: checks already made keep the
        version they were made with.
      </p>
      <Button href="/admin/templates/new">Create a template</Button>
      {templates.state === 'loading' && <p class="govuk-body">Loading…</p>}
      {templates.state === 'error' && <ErrorSummary errors={[{ field: 'templates', message: templates.message }]} />}
      {templates.state === 'ready' && (
        <table class="govuk-table app-table--stack" id="templates">
          <caption class="govuk-table__caption govuk-table__caption--m">Templates in this establishment</caption>
          <thead class="govuk-table__head">
            <tr class="govuk-table__row">
              <th scope="col" class="govuk-table__header">Template</th>
              <th scope="col" class="govuk-table__header">Key</th>
              <th scope="col" class="govuk-table__header govuk-table__header--numeric">Versions</th>
              <th scope="col" class="govuk-table__header">Status</th>
            </tr>
          </thead>
          <tbody class="govuk-table__body">
            {templates.data.map(({ templateId, latest, versions }) => (
              <tr class="govuk-table__row" key={templateId}>
                <td data-label="Template" class="govuk-table__cell">
                  <a class="govuk-link" href={`/admin/templates/${templateId}`}>
                    {latest.definition.title}
                  </a>
                </td>
                <td data-label="Key" class="govuk-table__cell">{latest.definition.key}</td>
                <td data-label="Versions" class="govuk-table__cell govuk-table__cell--numeric">{versions.length}</td>
                <td data-label="Status" class="govuk-table__cell">
                  <TemplateTags builtin={latest.builtin} archived={latest.archived} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

/** "Built in" and "Archived" or "In use": shared by the list and a template's own page. */
export function TemplateTags({ builtin, archived }: { builtin: boolean; archived: boolean }) {
  return (
    <>
      {builtin && <strong class="govuk-tag govuk-tag--blue">Built in</strong>}{' '}
      <strong class={`govuk-tag ${archived ? 'govuk-tag--grey' : 'govuk-tag--green'}`}>{archived ? 'Archived' : 'In use'}</strong>
    </>
  );
}
