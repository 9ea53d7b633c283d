import { useState } from 'preact/hooks';
import type { PhotoRow } from '../../data/queries.ts';
import { describeRange, isFailure } from '../../shared/templates/answers.ts';
import type { Answer, TemplateItem } from '../../shared/templates/schema.ts';
import { PhotoField } from './PhotoField.tsx';
import { ErrorMessage } from '../../ui/ErrorMessage.tsx';
import { NumberField } from '../../ui/NumberField.tsx';
import { Radios, type RadioOption } from '../../ui/Radios.tsx';
import { TextArea } from '../../ui/TextArea.tsx';

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

const PASS_FAIL: RadioOption<'pass' | 'fail' | 'na'>[] = [
  { value: 'pass', label: 'Pass' },
  { value: 'fail', label: 'Fail' },
  { value: 'na', label: 'Not applicable' },
];
const YES_NO: RadioOption<boolean>[] = [
  { value: true, label: 'Yes' },
  { value: false, label: 'No' },
];

/** A typed reading: kept as typed, stored as a number once it is one. */
function NumberInput({ item, label, hint, error, answer, onAnswer }: { item: Extract<TemplateItem, { kind: 'number' }>; label: string; hint: string; error: string | undefined; answer: Answer | undefined; onAnswer: (answer: Answer) => void }) {
  const [text, setText] = useState(typeof answer?.value === 'number' ? String(answer.value) : '');
  const notANumber = text.trim() !== '' && !Number.isFinite(Number(text.trim()));
  return (
    <NumberField
      id={itemAnchor(item.id)}
      label={label}
      hint={hint || undefined}
      error={notANumber ? 'Enter a number, like 65' : error}
      value={text}
      suffix={item.unit}
      onInput={(raw) => {
        setText(raw);
        const trimmed = raw.trim();
        const value = trimmed === '' || !Number.isFinite(Number(trimmed)) ? null : Number(trimmed);
        onAnswer({ itemId: item.id, value, ...(answer?.note ? { note: answer.note } : {}) });
      }}
    />
  );
}

/** One item of a check: the question, its answer control, and a note (and photo) when it fails. */
export function ItemField({ item, answer, error, checkId, photos, onAnswer, onPhotoSaved }: Props) {
  const anchor = itemAnchor(item.id);
  const failing = isFailure(item, answer);
  const range = item.kind === 'number' ? describeRange(item) : null;
  const [note, setNote] = useState(answer?.note ?? '');
  const withValue = (value: Answer['value']): Answer => ({ itemId: item.id, value, ...(note.trim() ? { note } : {}) });
  const itemPhotos = photos.filter((p) => p.itemId === item.id);
  const hint = [item.hint, range ? `Acceptable: ${range}.` : null].filter(Boolean).join(' ');
  const label = `${item.question}${item.required ? '' : ' (optional)'}`;

  if (item.kind === 'photo') {
    return (
      <div class="app-item" id={`${anchor}-group`}>
        <ErrorMessage error={error} />
        <PhotoField id={anchor} checkId={checkId} itemId={item.id} label={label} photos={itemPhotos} onSaved={onPhotoSaved} />
      </div>
    );
  }

  const radios = <T extends string | boolean>(options: readonly RadioOption<T>[], inline: boolean) => (
    <Radios<T>
      name={anchor}
      legend={label}
      hint={hint || undefined}
      error={error}
      inline={inline}
      options={options}
      selected={answer?.value as T | undefined}
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
        return <NumberInput item={item} label={label} hint={hint} error={error} answer={answer} onAnswer={onAnswer} />;
      case 'text':
        return (
          <TextArea
            id={anchor}
            label={label}
            hint={hint || undefined}
            error={error}
            defaultValue={typeof answer?.value === 'string' ? answer.value : ''}
            onInput={(text) => {
              onAnswer(withValue(text));
            }}
          />
        );
    }
  })();

  return (
    <div class={`app-item${failing ? ' app-item--failing' : ''}`} id={`${anchor}-group`} data-testid="check-item">
      {control}
      {failing && (
        <div class="app-item__failure">
          <p class="govuk-body govuk-!-font-weight-bold app-item__flag" role="status">
            {item.kind === 'number' ? `Out of range (${range ?? ''}): say what was done.` : 'Say what is wrong and what was done.'}
          </p>
          <TextArea
            id={`${anchor}-note`}
            label="Note"
            value={note}
            onInput={(text) => {
              setNote(text);
              onAnswer({ itemId: item.id, value: answer?.value ?? null, ...(text.trim() ? { note: text } : {}) });
            }}
          />
          <PhotoField id={`${anchor}-photo`} checkId={checkId} itemId={item.id} label="Photo of the problem (optional)" photos={itemPhotos} onSaved={onPhotoSaved} />
        </div>
      )}
    </div>
  );
}
