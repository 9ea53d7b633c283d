import { described, FieldParts } from './form.tsx';
import { FormGroup } from './FormGroup.tsx';

interface TextAreaProps {
  id: string;
  label: string;
  hint?: string | undefined;
  error?: string | undefined;
  /** The text, for a field the page holds; or defaultValue, for one it only listens to. */
  value?: string;
  defaultValue?: string;
  onInput: (value: string) => void;
  rows?: number;
  /** 's' or 'm': a label that heads its part of the form. */
  size?: 's' | 'm' | undefined;
  /** Extra classes on the group (spacing) and on the textarea itself. */
  class?: string | undefined;
  inputClass?: string | undefined;
  spellcheck?: boolean;
}

/** GOV.UK textarea with its label, hint and error. */
export function TextArea(props: TextAreaProps) {
  const { id, label, hint, error, value, defaultValue, onInput, rows = 3, size, class: extra, inputClass, spellcheck } = props;
  return (
    <FormGroup error={error} class={extra}>
      <FieldParts id={id} label={label} hint={hint} error={error} size={size} />
      <textarea
        class={`govuk-textarea${error ? ' govuk-textarea--error' : ''}${inputClass ? ` ${inputClass}` : ''}`}
        id={id}
        name={id}
        rows={rows}
        value={value}
        defaultValue={defaultValue}
        spellcheck={spellcheck}
        aria-describedby={described(id, hint, error)}
        onInput={(event) => {
          onInput(event.currentTarget.value);
        }}
      />
    </FormGroup>
  );
}
