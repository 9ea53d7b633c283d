import { useState } from 'preact/hooks';
import type { PhotoRow } from '../../data/queries.ts';
import { describeRange, isFailure } from '../../shared/templates/answers.ts';
import type { Answer, TemplateItem } from '../../shared/templates/schema.ts';
import { PhotoField } from './PhotoField.tsx';
import { ErrorMessage } from '../../ui/ErrorMessage.tsx';

export const itemAnchor = (itemId: string) => `item-${itemId}`;

interface Props {
  item: TemplateItem;
  answer: Answer | undefined;
  error: string | undefined;
  checkId: string;
  photos: readonly PhotoRow[];
  onAnswer: (answer: Answer) => void;
  onPhotoSaved: () => void;
}

interface Option { value: Answer['value']; label: string }

const PASS_FAIL: Option[] = [
  { value: 'pass', label: 'Pass' },
  { value: 'fail', label: 'Fail' },
  { value: 'na', label: 'Not applicable' },
];
const YES_NO: Option[] = [
  { value: true, label: 'Yes' },
  { value: false, label: 'No' },
];

function Radios({ name, options, value, inline, onChange, describedBy }: { name: string; options: Option[]; value: Answer['value'] | undefined; inline: boolean; onChange: (value: Answer['value']) => void; describedBy?: string }) {
  return (
    <div class={`govuk-radios${inline ? ' govuk-radios--inline' : ''}`} aria-describedby={describedBy}>
      {options.map((option, i) => {
        const id = i === 0 ? name : `${name}-${i}`;
        return (
          <div class="govuk-radios__item" key={String(option.value)}>
            <input class="govuk-radios__input" type="radio" id={id} name={name} checked={value === option.value} onChange={() => { onChange(option.value); }} />
            <label class="govuk-label govuk-radios__label" for={id}>
              {option.label}
            </label>
          </div>
        );
      })}
    </div>
  );
}

/** A typed reading: kept as typed, stored as a number once it is one. */
function NumberInput({ item, answer, onAnswer, describedBy }: { item: Extract<TemplateItem, { kind: 'number' }>; answer: Answer | undefined; onAnswer: (answer: Answer) => void; describedBy: string | undefined }) {
  const [text, setText] = useState(typeof answer?.value === 'number' ? String(answer.value) : '');
  const notANumber = text.trim() !== '' && !Number.isFinite(Number(text.trim()));
  return (
    <>
      <ErrorMessage error={notANumber ? 'Enter a number, like 65' : null} />
      <div class="govuk-input__wrapper">
        <input
          class={`govuk-input govuk-input--width-5${notANumber ? ' govuk-input--error' : ''}`}
          id={itemAnchor(item.id)}
          type="text"
          inputMode="decimal"
          autoComplete="off"
          spellcheck={false}
          value={text}
          aria-describedby={describedBy}
          onInput={(event) => {
            const raw = event.currentTarget.value;
            setText(raw);
            const trimmed = raw.trim();
            const value = trimmed === '' || !Number.isFinite(Number(trimmed)) ? null : Number(trimmed);
            onAnswer({ itemId: item.id, value, ...(answer?.note ? { note: answer.note } : {}) });
          }}
        />
        <div class="govuk-input__suffix" aria-hidden="true">
          {item.unit}
        </div>
      </div>
    </>
  );
}

/** One item of a check: the question, its answer control, and a note (and photo) when it fails. */
export function ItemField({ item, answer, error, checkId, photos, onAnswer, onPhotoSaved }: Props) {
  const anchor = itemAnchor(item.id);
  const failing = isFailure(item, answer);
  const range = item.kind === 'number' ? describeRange(item) : null;
  const hintId = item.hint || range ? `${anchor}-hint` : undefined;
  const [note, setNote] = useState(answer?.note ?? '');
  const withValue = (value: Answer['value']): Answer => ({ itemId: item.id, value, ...(note.trim() ? { note } : {}) });
  const itemPhotos = photos.filter((p) => p.itemId === item.id);
  const hint = [item.hint, range ? `Acceptable: ${range}.` : null].filter(Boolean).join(' ');

  if (item.kind === 'photo') {
    return (
      <div class="app-item" id={`${anchor}-group`}>
        <ErrorMessage error={error} />
        <PhotoField id={anchor} checkId={checkId} itemId={item.id} label={`${item.question}${item.required ? '' : ' (optional)'}`} photos={itemPhotos} onSaved={onPhotoSaved} />
      </div>
    );
  }

  const radios = (options: Option[], inline: boolean) => (
    <Radios
      name={anchor}
      options={options}
      value={answer?.value}
      inline={inline}
      describedBy={hintId}
      onChange={(v) => {
        onAnswer(withValue(v));
      }}
    />
  );
  const control = (() => {
    switch (item.kind) {
      case 'pass-fail':
        return radios(PASS_FAIL, true);
      case 'yes-no':
        return radios(YES_NO, true);
      case 'choice':
        return radios(item.options.map((o) => ({ value: o, label: o })), false);
      case 'number':
        return <NumberInput item={item} answer={answer} onAnswer={onAnswer} describedBy={hintId} />;
      case 'text':
        return (
          <textarea
            class="govuk-textarea"
            id={anchor}
            rows={3}
            defaultValue={typeof answer?.value === 'string' ? answer.value : ''}
            aria-describedby={hintId}
            onInput={(event) => {
              onAnswer(withValue(event.currentTarget.value));
            }}
          />
        );
    }
  })();

  const isGroup = item.kind !== 'number' && item.kind !== 'text';
  const heading = (
    <>
      {item.question}
      {!item.required && ' (optional)'}
    </>
  );
  return (
    <div class={`govuk-form-group app-item${error ? ' govuk-form-group--error' : ''}${failing ? ' app-item--failing' : ''}`} id={`${anchor}-group`} data-testid="check-item">
      <fieldset class="govuk-fieldset" aria-describedby={hintId}>
        {isGroup ? (
          <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">{heading}</legend>
        ) : (
          <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">
            <label for={anchor}>{heading}</label>
          </legend>
        )}
        {hint && (
          <div class="govuk-hint" id={hintId}>
            {hint}
          </div>
        )}
        <ErrorMessage error={error} />
        {control}
        {failing && (
          <div class="app-item__failure">
            <p class="govuk-body govuk-!-font-weight-bold app-item__flag" role="status">
              {item.kind === 'number' ? `Out of range (${range ?? ''}): say what was done.` : 'Say what is wrong and what was done.'}
            </p>
            <div class="govuk-form-group">
              <label class="govuk-label" for={`${anchor}-note`}>
                Note
              </label>
              <textarea
                class="govuk-textarea"
                id={`${anchor}-note`}
                rows={3}
                value={note}
                onInput={(event) => {
                  const text = event.currentTarget.value;
                  setNote(text);
                  onAnswer({ itemId: item.id, value: answer?.value ?? null, ...(text.trim() ? { note: text } : {}) });
                }}
              />
            </div>
            <PhotoField id={`${anchor}-photo`} checkId={checkId} itemId={item.id} label="Photo of the problem (optional)" photos={itemPhotos} onSaved={onPhotoSaved} />
          </div>
        )}
      </fieldset>
    </div>
  );
}
