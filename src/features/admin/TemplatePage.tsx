import { useEffect, useState } from 'preact/hooks';
import { useLocation, useRoute } from 'preact-iso';
import { api } from '../../api/api.ts';
import { errorMessage, refusalOf, useRemote } from '../../api/useRemote.ts';
import { TemplateVersionRecord, type TemplateDraft } from '../../shared/api/capture.ts';
import type { TemplateVersion } from '../../shared/templates/schema.ts';
import { Button, described, ErrorSummary, FieldParts, Form, TextField, type FieldError } from '../../ui/form.tsx';
import { PageHeading } from '../../ui/PageHeading.tsx';
import { SummaryList } from '../../ui/SummaryList.tsx';
import { Flash } from './Flash.tsx';
import {
  addItem,
  addSection,
  describeItem,
  draftFromVersion,
  emptyDraft,
  explainServerError,
  groupTemplates,
  ITEM_KINDS,
  KIND_LABELS,
  moveItem,
  removeItem,
  removeSection,
  slugify,
  toTemplateDraft,
  updateItem,
  updateSection,
  type DraftItem,
  type EditorDraft,
  type ItemKind,
} from './template-editor.ts';
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
          const created = await api.post('/api/templates', draft, TemplateVersionRecord);
          flashOnArrival = `${created.definition.title} was created.`;
          route(`/admin/templates/${created.templateId}`);
        }}
      />
    </>
  );
}

function ExistingTemplate({ templateId }: { templateId: string }) {
  const records = useRemote(() => api.get('/api/templates', TemplateVersionRecord.array()), [templateId]);
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
      await api.patch(`/api/templates/${templateId}`, { archived: !latest.archived }, TemplateVersionRecord.array());
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
            const saved = await api.post(`/api/templates/${templateId}/versions`, draft, TemplateVersionRecord);
            setEditing(false);
            setFlash(`Version ${saved.definition.version} of ${saved.definition.title} was saved.`);
            records.reload();
          }}
        />
      ) : (
        <div class="govuk-button-group">
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
        </div>
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

interface EditorProps {
  initial: EditorDraft;
  heading: string;
  submitLabel: string;
  save: (draft: TemplateDraft & { key?: string }) => Promise<void>;
  isNew?: boolean;
  reservedIds?: readonly string[];
  onCancel?: () => void;
}

/** Focus to restore after a move: moving an element in the page drops its focus. */
let focusAfterRender: string | null = null;

function TemplateEditor({ initial, heading, submitLabel, save, isNew = false, reservedIds = [], onCancel }: EditorProps) {
  const [draft, setDraft] = useState(initial);
  const [key, setKey] = useState<string | null>(null);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [saving, setSaving] = useState(false);
  useEffect(() => {
    if (focusAfterRender) document.getElementById(focusAfterRender)?.focus();
    focusAfterRender = null;
  });
  // Until the admin types a key, it follows the title.
  const shownKey = key ?? slugify(draft.title, '');
  const fallbackField = isNew ? 'template-key' : 'template-title';
  const submit = async () => {
    setErrors([]);
    const converted = toTemplateDraft(draft, reservedIds);
    if (!converted.ok) {
      setErrors(converted.errors);
      return;
    }
    setSaving(true);
    try {
      await save(isNew ? { ...converted.value, key: shownKey } : converted.value);
    } catch (error) {
      setErrors(explainServerError(refusalOf(error), draft, fallbackField));
    } finally {
      setSaving(false);
    }
  };
  const errorFor = (field: string) => errors.find((e) => e.field === field)?.message;
  return (
    <Form onSubmit={() => void submit()} class="govuk-!-margin-bottom-8">
      <h2 class="govuk-heading-m">{heading}</h2>
      <ErrorSummary errors={errors} />
      <TextField
        id="template-title"
        label="Title"
        value={draft.title}
        onInput={(title) => { setDraft({ ...draft, title }); }}
        width="full"
        error={errorFor('template-title')}
      />
      {isNew && (
        <TextField
          id="template-key"
          label="Key"
          hint="Names the template in exports and links, and cannot change later. 3 to 60 lower-case letters, digits and dashes."
          value={shownKey}
          onInput={setKey}
          error={errorFor('template-key')}
        />
      )}
      <TextArea
        id="template-description"
        label="Description (optional)"
        hint="What the check is for and who does it."
        value={draft.description}
        onInput={(description) => { setDraft({ ...draft, description }); }}
        error={errorFor('template-description')}
      />
      {draft.sections.map((section, si) => (
        <section class="govuk-!-margin-bottom-6" key={section.key} aria-labelledby={`${section.key}-heading`}>
          <h3 class="govuk-heading-m" id={`${section.key}-heading`}>
            Section {si + 1}
            {section.title.trim() && `: ${section.title.trim()}`}
          </h3>
          <TextField
            id={`${section.key}-title`}
            label={`Section ${si + 1} title`}
            value={section.title}
            onInput={(title) => { setDraft(updateSection(draft, si, { title })); }}
            width="full"
            error={errorFor(`${section.key}-title`)}
          />
          {section.items.map((item, ii) => (
            <ItemEditor
              key={item.key}
              item={item}
              position={`Section ${si + 1}, item ${ii + 1}`}
              errorFor={errorFor}
              onChange={(patch) => { setDraft((d) => updateItem(d, si, ii, patch)); }}
              onMove={section.items.length > 1 ? (delta) => {
                // Keep focus on the button pressed; at an end, on the other one.
                const atEnd = (delta < 0 && ii === 1) || (delta > 0 && ii === section.items.length - 2);
                focusAfterRender = `${item.key}-${atEnd ? (delta < 0 ? 'down' : 'up') : delta < 0 ? 'up' : 'down'}`;
                setDraft(moveItem(draft, si, ii, delta));
              } : undefined}
              first={ii === 0}
              last={ii === section.items.length - 1}
              onRemove={section.items.length > 1 ? () => {
                focusAfterRender = `${section.key}-new-kind`;
                setDraft(removeItem(draft, si, ii));
              } : undefined}
            />
          ))}
          <AddItem
            id={`${section.key}-new-kind`}
            sectionNumber={si + 1}
            onAdd={(kind) => {
              const added = addItem(draft, si, kind);
              focusAfterRender = `${added.sections[si]?.items.at(-1)?.key ?? ''}-question`;
              setDraft(added);
            }}
          />
          {draft.sections.length > 1 && (
            <Button secondary onClick={() => { setDraft(removeSection(draft, si)); }}>
              Remove section {si + 1}
              <span class="govuk-visually-hidden"> and its {section.items.length} items</span>
            </Button>
          )}
        </section>
      ))}
      <p class="govuk-body">
        <Button
          secondary
          onClick={() => {
            const added = addSection(draft);
            focusAfterRender = `${added.sections.at(-1)?.key ?? ''}-title`;
            setDraft(added);
          }}
        >
          Add a section
        </Button>
      </p>
      <div class="govuk-button-group">
        <Button type="submit" disabled={saving}>
          {saving ? 'Saving…' : submitLabel}
        </Button>
        {onCancel && (
          <Button secondary onClick={onCancel}>
            Cancel
          </Button>
        )}
      </div>
    </Form>
  );
}

interface ItemEditorProps {
  item: DraftItem;
  position: string;
  first: boolean;
  last: boolean;
  errorFor: (field: string) => string | undefined;
  onChange: (patch: Partial<Omit<DraftItem, 'key' | 'id' | 'kind'>>) => void;
  onMove: ((delta: -1 | 1) => void) | undefined;
  onRemove: (() => void) | undefined;
}

function ItemEditor({ item, position, first, last, errorFor, onChange, onMove, onRemove }: ItemEditorProps) {
  const id = (field: string) => `${item.key}-${field}`;
  const named = ` ${position.toLowerCase()}${item.question.trim() ? `, “${item.question.trim()}”` : ''}`;
  return (
    // Inset, not a grey panel: the secondary buttons inside stay visible against white.
    <div class="govuk-inset-text" data-testid="editor-item">
      <fieldset class="govuk-fieldset">
        <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">
          {position}: {KIND_LABELS[item.kind]}
        </legend>
        <TextField
          id={id('question')}
          label="Question"
          value={item.question}
          onInput={(question) => { onChange({ question }); }}
          width="full"
          error={errorFor(id('question'))}
        />
        <TextField
          id={id('hint')}
          label="Hint (optional)"
          value={item.hint}
          onInput={(hint) => { onChange({ hint }); }}
          width="full"
          error={errorFor(id('hint'))}
        />
        {item.kind === 'number' && (
          <>
            <TextField
              id={id('unit')}
              label="Unit"
              hint="For example, °C or cells"
              value={item.unit}
              onInput={(unit) => { onChange({ unit }); }}
              width="10"
              error={errorFor(id('unit'))}
            />
            <NumberField
              id={id('min')}
              label="Lowest acceptable reading (optional)"
              hint="Empty: no lower limit. A reading below it counts as a failure."
              value={item.min}
              onInput={(min) => { onChange({ min }); }}
              error={errorFor(id('min'))}
            />
            <NumberField
              id={id('max')}
              label="Highest acceptable reading (optional)"
              hint="Empty: no upper limit. A reading above it counts as a failure."
              value={item.max}
              onInput={(max) => { onChange({ max }); }}
              error={errorFor(id('max'))}
            />
          </>
        )}
        {item.kind === 'choice' && (
          <TextArea
            id={id('options')}
            label="Options, one per line"
            hint="At least 2."
            value={item.options}
            onInput={(options) => { onChange({ options }); }}
            error={errorFor(id('options'))}
          />
        )}
        <div class="govuk-form-group">
          <div class="govuk-checkboxes govuk-checkboxes--small">
            <Tick
              id={id('required')}
              label="Required: the check cannot be submitted without an answer"
              checked={item.required}
              onChange={(required) => { onChange({ required }); }}
            />
            {item.kind === 'pass-fail' && (
              <Tick
                id={id('note')}
                label="A fail needs a note saying what was done"
                checked={item.noteOnFail}
                onChange={(noteOnFail) => { onChange({ noteOnFail }); }}
              />
            )}
            {item.kind === 'yes-no' && (
              <Tick
                id={id('note')}
                label="A “No” needs a note saying what was done"
                checked={item.noteOnNo}
                onChange={(noteOnNo) => { onChange({ noteOnNo }); }}
              />
            )}
          </div>
        </div>
      </fieldset>
      {(onMove ?? onRemove) && (
        <div class="govuk-button-group govuk-!-margin-bottom-0">
          {onMove && !first && (
            <Button id={id('up')} secondary class="app-table-button" onClick={() => { onMove(-1); }}>
              Move up<span class="govuk-visually-hidden">{named}</span>
            </Button>
          )}
          {onMove && !last && (
            <Button id={id('down')} secondary class="app-table-button" onClick={() => { onMove(1); }}>
              Move down<span class="govuk-visually-hidden">{named}</span>
            </Button>
          )}
          {onRemove && (
            <Button warning class="app-table-button" onClick={onRemove}>
              Remove<span class="govuk-visually-hidden">{named}</span>
            </Button>
          )}
        </div>
      )}
    </div>
  );
}

function AddItem({ id, sectionNumber, onAdd }: { id: string; sectionNumber: number; onAdd: (kind: ItemKind) => void }) {
  const [kind, setKind] = useState<ItemKind>('pass-fail');
  return (
    <div class="govuk-form-group">
      <label class="govuk-label" for={id}>
        Kind of item to add to section {sectionNumber}
      </label>
      <div class="govuk-button-group govuk-!-margin-bottom-0">
        <select
          class="govuk-select govuk-!-margin-right-2"
          id={id}
          value={kind}
          onChange={(event) => {
            const chosen = ITEM_KINDS.find((k) => k.kind === event.currentTarget.value);
            if (chosen) setKind(chosen.kind);
          }}
        >
          {ITEM_KINDS.map((k) => (
            <option key={k.kind} value={k.kind}>
              {k.label}
            </option>
          ))}
        </select>
        <Button secondary onClick={() => { onAdd(kind); }}>
          Add item<span class="govuk-visually-hidden"> to section {sectionNumber}</span>
        </Button>
      </div>
    </div>
  );
}

interface TickProps {
  id: string;
  label: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
}

/** One checkbox of a `govuk-checkboxes` group, for a yes/no setting. */
function Tick({ id, label, checked, onChange }: TickProps) {
  return (
    <div class="govuk-checkboxes__item">
      <input
        class="govuk-checkboxes__input"
        id={id}
        type="checkbox"
        checked={checked}
        onChange={(event) => { onChange(event.currentTarget.checked); }}
      />
      <label class="govuk-label govuk-checkboxes__label" for={id}>
        {label}
      </label>
    </div>
  );
}

interface InputProps {
  id: string;
  label: string;
  hint?: string;
  value: string;
  onInput: (value: string) => void;
  error?: string | undefined;
}

/** GOV.UK's number input: text with a numeric keyboard, since type=number loses what it cannot parse. */
function NumberField({ id, label, hint, value, onInput, error }: InputProps) {
  return (
    <div class={`govuk-form-group${error ? ' govuk-form-group--error' : ''}`}>
      <FieldParts id={id} label={label} hint={hint} error={error} />
      <input
        class={`govuk-input govuk-input--width-5${error ? ' govuk-input--error' : ''}`}
        id={id}
        name={id}
        type="text"
        inputMode="decimal"
        spellcheck={false}
        value={value}
        aria-describedby={described(id, hint, error)}
        onInput={(event) => { onInput(event.currentTarget.value); }}
      />
    </div>
  );
}

function TextArea({ id, label, hint, value, onInput, error }: InputProps) {
  return (
    <div class={`govuk-form-group${error ? ' govuk-form-group--error' : ''}`}>
      <FieldParts id={id} label={label} hint={hint} error={error} />
      <textarea
        class={`govuk-textarea${error ? ' govuk-textarea--error' : ''}`}
        id={id}
        name={id}
        rows={3}
        value={value}
        aria-describedby={described(id, hint, error)}
        onInput={(event) => { onInput(event.currentTarget.value); }}
      />
    </div>
  );
}
