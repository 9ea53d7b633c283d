import { described, FieldParts } from './form.tsx';
import { FormGroup } from './FormGroup.tsx';

interface DateInputProps {
  id: string;
  label: string;
  hint?: string | undefined;
  error?: string | undefined;
  /** YYYY-MM-DD, as the browser's date picker gives and takes it. */
  value: string;
  onInput: (value: string) => void;
  size?: 's' | 'm' | undefined;
}

/** A date, with the browser's own picker (`type="date"`): one field, labelled, with hint and error. */
export function DateInput({ id, label, hint, error, value, onInput, size }: DateInputProps) {
  return (
    <FormGroup error={error}>
      <FieldParts id={id} label={label} hint={hint} error={error} size={size} />
      <input
        class={`govuk-input govuk-input--width-10${error ? ' govuk-input--error' : ''}`}
        id={id}
        name={id}
        type="date"
        value={value}
        aria-describedby={described(id, hint, error)}
        onInput={(event) => {
          onInput(event.currentTarget.value);
        }}
      />
    </FormGroup>
  );
}
