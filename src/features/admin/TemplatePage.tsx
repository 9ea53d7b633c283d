import { useState } from 'preact/hooks';
import { useLocation, useRoute } from 'preact-iso';
import { api } from '../../api/api.ts';
import { errorMessage, useRemote } from '../../api/useRemote.ts';
import type { TemplateVersion } from '../../shared/templates/schema.ts';
import { Button, ErrorSummary, type FieldError } from '../../ui/form.tsx';
import { ButtonGroup } from '../../ui/ButtonGroup.tsx';
import { PageHeading } from '../../ui/PageHeading.tsx';
import { SummaryList } from '../../ui/SummaryList.tsx';
import { Flash } from './Flash.tsx';
import { draftFromVersion, emptyDraft } from './template-editor.ts';
import { describeItem, groupTemplates } from './template-summary.ts';
import { TemplateEditor } from './TemplateEditor.tsx';
import { TemplateTags } from './TemplatesPage.tsx';

const when = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short' });

/** The "created" message, carried across the move from /admin/templates/new to the template's own page. */
let flashOnArrival: string | null = null;

export function TemplatePage() {
  const { params } = useRoute();
  const id = params.id ?? '';
  return id === 'new' ? <NewTemplate /> : <ExistingTemplate key={id} templateId={id} />;
}

function NewTemplate() {
  const { route } = useLocation();
  return (
    <>
      <PageHeading>Create a template</PageHeading>
      <p class="govuk-body">
        <a class="govuk-link" href="/admin/templates">
          All templates
        </a>
      </p>
      <TemplateEditor
        initial={emptyDraft()}
        isNew
        heading="Version 1"
        submitLabel="Create template"
        save={async (draft) => {
          const created = await api.call('templates.create', { body: { ...draft, key: draft.key ?? '' } });
          flashOnArrival = `${created.definition.title} was created.`;
          route(`/admin/templates/${created.templateId}`);
        }}
      />
    </>
  );
}

function ExistingTemplate({ templateId }: { templateId: string }) {
  const records = useRemote(() => api.call('templates.list'), [templateId]);
  const [editing, setEditing] = useState(false);
  const [flash, setFlash] = useState<string | null>(() => {
    const message = flashOnArrival;
    flashOnArrival = null;
    return message;
  });
  const [errors, setErrors] = useState<FieldError[]>([]);
  if (records.state === 'loading') return <p class="govuk-body">Loading…</p>;
  if (records.state === 'error') return <ErrorSummary errors={[{ field: 'template', message: records.message }]} />;
  const template = groupTemplates(records.data).find((t) => t.templateId === templateId);
  if (!template) {
    return (
      <>
        <PageHeading>Template not found</PageHeading>
        <p class="govuk-body">
          It may belong to another establishment. <a class="govuk-link" href="/admin/templates">All templates</a>
        </p>
      </>
    );
  }
  const { latest, versions } = template;
  const next = latest.definition.version + 1;
  const title = latest.definition.title;
  // Ids earlier versions used stay theirs: a new item never takes one (see toTemplateDraft).
  const usedIds = versions.flatMap((v) => v.definition.sections.flatMap((s) => s.items.map((i) => i.id)));
  const archive = async () => {
    setErrors([]);
    setFlash(null);
    try {
      await api.call('templates.update', { params: { id: templateId }, body: { archived: !latest.archived } });
      setFlash(latest.archived ? `${title} is back in use.` : `${title} was archived: checks made with it keep it.`);
      records.reload();
    } catch (error) {
      setErrors([{ field: 'archive-template', message: errorMessage(error) }]);
    }
  };
  return (
    <>
      <PageHeading>{title}</PageHeading>
      <Flash message={flash} />
      <ErrorSummary errors={errors} />
      <p class="govuk-body">
        <TemplateTags builtin={latest.builtin} archived={latest.archived} />
      </p>
      {latest.definition.description && <p class="govuk-body">{latest.definition.description}</p>}
      <p class="govuk-body">
        Key: <code>{latest.definition.key}</code> ·{' '}
        <a class="govuk-link" href="/admin/templates">
          All templates
        </a>
      </p>
      {editing ? (
        <TemplateEditor
          initial={draftFromVersion(latest.definition)}
          reservedIds={usedIds}
          heading={`Version ${next}`}
          submitLabel={`Save version ${next}`}
          onCancel={() => {
            setEditing(false);
          }}
          save={async (draft) => {
            const saved = await api.call('templates.addVersion', { params: { id: templateId }, body: draft });
            setEditing(false);
            setFlash(`Version ${saved.definition.version} of ${saved.definition.title} was saved.`);
            records.reload();
          }}
        />
      ) : (
        <ButtonGroup>
          <Button
            onClick={() => {
              setFlash(null);
              setErrors([]);
              setEditing(true);
            }}
          >
            Create version {next}
          </Button>
          <Button id="archive-template" secondary onClick={() => void archive()}>
            {latest.archived ? 'Restore template' : 'Archive template'}
          </Button>
        </ButtonGroup>
      )}
      <table class="govuk-table app-table--stack" id="versions">
        <caption class="govuk-table__caption govuk-table__caption--m">Versions</caption>
        <thead class="govuk-table__head">
          <tr class="govuk-table__row">
            <th scope="col" class="govuk-table__header">Version</th>
            <th scope="col" class="govuk-table__header">Title</th>
            <th scope="col" class="govuk-table__header">Created</th>
          </tr>
        </thead>
        <tbody class="govuk-table__body">
          {[...versions].reverse().map((v) => (
            <tr class="govuk-table__row" key={v.id}>
              <td data-label="Version" class="govuk-table__cell">Version {v.definition.version}</td>
              <td data-label="Title" class="govuk-table__cell">{v.definition.title}</td>
              <td data-label="Created" class="govuk-table__cell">{when.format(new Date(v.createdAt))}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {!editing && <VersionView version={latest.definition} />}
    </>
  );
}

/** The latest version's questions, read-only: what a person on the wing is asked. */
function VersionView({ version }: { version: TemplateVersion }) {
  return (
    <div data-testid="latest-version">
      <h2 class="govuk-heading-m">Version {version.version}: the questions</h2>
      {version.sections.map((section) => (
        <section key={section.id}>
          <h3 class="govuk-heading-s">{section.title}</h3>
          <SummaryList
            rows={section.items.map((item) => ({
              key: item.question,
              value: (
                <>
                  {describeItem(item)}
                  {item.hint && <span class="govuk-hint govuk-!-margin-bottom-0 govuk-!-display-block">Hint: {item.hint}</span>}
                </>
              ),
            }))}
          />
        </section>
      ))}
    </div>
  );
}
