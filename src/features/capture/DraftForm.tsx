import { useEffect, useRef, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { discardDraft, prepareSubmit, submitCheck, updateDraft } from '../../data/checks.ts';
import { useReferenceData, type CheckView } from '../../data/queries.ts';
import { isFailure } from '../../shared/templates/answers.ts';
import type { Presence } from '../../shared/mutations.ts';
import type { Answer } from '../../shared/templates/schema.ts';
import { ButtonGroup } from '../../ui/ButtonGroup.tsx';
import { Button, ErrorSummary, type FieldError } from '../../ui/form.tsx';
import { PageHeading } from '../../ui/PageHeading.tsx';
import { SelectField } from '../../ui/SelectField.tsx';
import { TextArea } from '../../ui/TextArea.tsx';
import { ActionLinks } from './ActionLinks.tsx';
import { captureErrorMessage } from './errors.ts';
import { itemAnchor, ItemField } from './ItemField.tsx';
import { formatDate } from './labels.ts';
import { LocationTagField } from './LocationTagField.tsx';
import { PhotoField } from './PhotoField.tsx';
import { StorageNotice } from './StorageNotice.tsx';

export const SUBMIT_MEASURE = 'wingcheck:submit';
const SUBMIT_BUTTON = 'submit-check';

function fieldAnchor(field: string): string {
  return ['unit', 'note', 'actions', 'template'].includes(field) ? field : itemAnchor(field);
}

function SaveState({ state }: { state: { at: Date } | { error: string } | null }) {
  return (
    <div aria-live="polite" data-testid="save-state">
      {state && 'error' in state ? (
        <div class="govuk-error-summary" role="alert">
          <h2 class="govuk-error-summary__title">Not saved</h2>
          <div class="govuk-error-summary__body">
            <p class="govuk-body">{state.error}</p>
          </div>
        </div>
      ) : state ? (
        <p class="govuk-body-s app-secondary-text">Saved on this device at {state.at.toLocaleTimeString('en-GB')}</p>
      ) : (
        <p class="govuk-body-s app-secondary-text">Every change is saved on this device as you go.</p>
      )}
    </div>
  );
}

/** A check or note being filled in: every change saved on the device as it is made. */
export function DraftForm({ view }: { view: CheckView }) {
  const { check, template, photos } = view;
  const { route } = useLocation();
  const reference = useReferenceData();
  // The person's answers live here while they type; every change is also written to the device at once.
  const [answers, setAnswers] = useState<Answer[]>(check.answers);
  // Held here too, not read back from the device: a re-render before the write lands would undo the tap for a moment.
  const [actionIds, setActionIds] = useState<string[]>(check.actionIds);
  const [unitId, setUnitId] = useState<string | null>(check.unitId);
  const [landing, setLanding] = useState<string | null>(check.landing);
  const [tagScan, setTagScan] = useState<Presence | null>(check.tagScan ?? null);
  const [saved, setSaved] = useState<{ at: Date } | { error: string } | null>(null);
  const [errors, setErrors] = useState<FieldError[]>([]);
  // A ref, not state: re-drawing the whole form as the tap lands would hold up the write it waits for.
  const submitting = useRef(false);

  useEffect(() => {
    if (check.lastItemId) document.getElementById(itemAnchor(check.lastItemId))?.scrollIntoView({ block: 'center' });
    // Readied now, while the person fills the form in, so the tap does not wait for it; submit tries again.
    prepareSubmit().catch((error: unknown) => {
      console.warn('could not load what submitting needs yet', error);
    });
  }, []);

  const save = (change: Parameters<typeof updateDraft>[1]) => {
    updateDraft(check.id, change).then(
      () => {
        setSaved({ at: new Date() });
      },
      (error: unknown) => {
        setSaved({ error: captureErrorMessage(error) });
      },
    );
  };
  const onAnswer = (answer: Answer) => {
    setAnswers((list) => [...list.filter((a) => a.itemId !== answer.itemId), answer]);
    save({ answer, lastItemId: answer.itemId });
  };
  const onPhotoSaved = () => {
    setSaved({ at: new Date() });
  };

  const submit = async () => {
    const tapped = performance.now();
    if (submitting.current) return;
    submitting.current = true;
    // Shown on the button itself, not through state: the tap is seen at once, and nothing re-renders.
    const button = document.getElementById(SUBMIT_BUTTON) as HTMLButtonElement | null;
    if (button) button.disabled = true;
    try {
      const issues = await submitCheck(check.id, view);
      // From the tap to the check and its outbox entry committed to disk: read by bench/capture.ts.
      if (issues.length === 0) performance.measure(SUBMIT_MEASURE, { start: tapped, detail: { photos: photos.length } });
      setErrors(issues.map((i) => ({ field: fieldAnchor(i.field), message: i.message })));
      if (issues.length === 0) route(`/checks/${check.id}?submitted=1`, true);
    } catch (error) {
      setErrors([{ field: 'submit', message: captureErrorMessage(error) }]);
    } finally {
      submitting.current = false;
      if (button) button.disabled = false;
    }
  };
  const discard = async () => {
    if (!window.confirm('Discard this draft and its photos? This cannot be undone.')) return;
    try {
      await discardDraft(check.id);
      route('/');
    } catch (error) {
      setErrors([{ field: 'submit', message: captureErrorMessage(error) }]);
    }
  };

  const unit = reference?.units.find((u) => u.id === unitId);
  const units = (reference?.units ?? []).filter((u) => !u.archived || u.id === unitId);
  const errorFor = (field: string) => errors.find((e) => e.field === fieldAnchor(field))?.message;
  const title = check.kind === 'note' ? 'Record evidence' : (template?.definition.title ?? 'Check');
  const items = template?.definition.sections.flatMap((s) => s.items) ?? [];
  const failures = items.filter((item) => isFailure(item, answers.find((a) => a.itemId === item.id))).length;

  return (
    <>
      <span class="govuk-caption-l">
        {check.supersedes ? 'Correction' : check.dueOn ? `Due ${formatDate(check.dueOn)}` : 'Draft'}
        {unit ? ` · ${unit.name}` : ''}
      </span>
      <PageHeading>{title}</PageHeading>
      <ErrorSummary errors={errors} />
      <StorageNotice />
      <div class="govuk-inset-text">Photos and notes must not identify prisoners: no faces, names or prison numbers.</div>
      <SaveState state={saved} />
      {template?.definition.description && <p class="govuk-body">{template.definition.description}</p>}

      <SelectField
        id="unit"
        label="Unit"
        size="s"
        empty={check.kind === 'note' ? 'Not about one unit' : 'Choose a unit'}
        value={unitId ?? ''}
        disabled={check.scheduleId !== null}
        options={units.map(({ id, name }) => ({ value: id, label: name }))}
        error={errorFor('unit')}
        onChange={(value) => {
          const chosen = value || null;
          setUnitId(chosen);
          setLanding(null);
          // A tag scanned names its unit: another unit's no longer proves anything.
          const keep = tagScan?.method === 'none' ? tagScan : null;
          setTagScan(keep);
          save({ unitId: chosen, landing: null, tagScan: keep });
        }}
      />
      {unit && unit.landings.length > 0 && (
        <SelectField
          id="landing"
          label="Landing (optional)"
          size="s"
          empty="Whole unit"
          value={landing ?? ''}
          options={unit.landings.map((l) => ({ value: l, label: l }))}
          onChange={(value) => {
            const chosen = value || null;
            setLanding(chosen);
            save({ landing: chosen });
          }}
        />
      )}

      {check.kind === 'note' ? (
        <TextArea
          id="note"
          label="What was done or seen"
          size="m"
          rows={5}
          error={errorFor('note')}
          defaultValue={check.note}
          onInput={(note) => {
            save({ note });
          }}
        />
      ) : template ? (
        template.definition.sections.map((section) => (
          <section key={section.id} class="app-section">
            <h2 class="govuk-heading-m">{section.title}</h2>
            {section.items.map((item) => (
              <ItemField
                key={item.id}
                item={item}
                answer={answers.find((a) => a.itemId === item.id)}
                error={errorFor(item.id)}
                checkId={check.id}
                photos={photos}
                onAnswer={onAnswer}
                onPhotoSaved={onPhotoSaved}
              />
            ))}
          </section>
        ))
      ) : (
        <p class="govuk-body">This check’s template is not on this device yet. Connect to the network to fetch it; the draft is kept.</p>
      )}

      {check.kind === 'check' && (
        <LocationTagField
          unit={unit}
          units={units}
          scan={tagScan}
          onChange={(scan) => {
            setTagScan(scan);
            save({ tagScan: scan });
          }}
        />
      )}

      <h2 class="govuk-heading-m">Photos</h2>
      <PhotoField
        id="check-photos"
        checkId={check.id}
        itemId={null}
        label={check.kind === 'note' ? 'Photos (optional)' : 'Photos of the check (optional)'}
        photos={photos.filter((p) => p.itemId === null)}
        onSaved={onPhotoSaved}
      />

      <ActionLinks
        linked={actionIds}
        onChange={(ids) => {
          setActionIds(ids);
          save({ actionIds: ids });
        }}
        error={errorFor('actions')}
      />

      {failures > 0 && (
        <p class="govuk-body" data-testid="failure-count">
          {failures === 1 ? '1 item is failing' : `${failures} items are failing`}: each needs a note.
        </p>
      )}
      <ButtonGroup id="submit">
        <Button id={SUBMIT_BUTTON} onClick={() => void submit()}>
          {check.kind === 'note' ? 'Submit evidence' : 'Submit check'}
        </Button>
        <Button warning secondary onClick={() => void discard()}>
          Discard draft
        </Button>
      </ButtonGroup>
    </>
  );
}
