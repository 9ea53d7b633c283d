import { useEffect, useState } from 'preact/hooks';
import { refusalOf } from '../../api/useRemote.ts';
import type { TemplateDraft } from '../../shared/api/capture.ts';
import { ButtonGroup } from '../../ui/ButtonGroup.tsx';
import { Button, ErrorSummary, Form, TextField, type FieldError } from '../../ui/form.tsx';
import { TextArea } from '../../ui/TextArea.tsx';
import { ItemEditor, AddItem } from './ItemEditor.tsx';
import {
  addItem,
  addSection,
  explainServerError,
  moveItem,
  removeItem,
  removeSection,
  slugify,
  toTemplateDraft,
  updateItem,
  updateSection,
  type EditorDraft,
} from './template-editor.ts';

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

/** A template's title, description, sections and items, checked here before the server sees them. */
export function TemplateEditor({ initial, heading, submitLabel, save, isNew = false, reservedIds = [], onCancel }: EditorProps) {
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
      <ButtonGroup>
        <Button type="submit" disabled={saving}>
          {saving ? 'Saving…' : submitLabel}
        </Button>
        {onCancel && (
          <Button secondary onClick={onCancel}>
            Cancel
          </Button>
        )}
      </ButtonGroup>
    </Form>
  );
}
