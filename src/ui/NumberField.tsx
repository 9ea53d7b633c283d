import { described, FieldParts } from './form.tsx';
import { FormGroup } from './FormGroup.tsx';

interface NumberFieldProps {
  id: string;
  label: string;
  hint?: string | undefined;
  error?: string | undefined;
  value: string;
  onInput: (value: string) => void;
  /** 'decimal' for readings, 'numeric' for whole numbers such as a day of the month. */
  inputMode?: 'decimal' | 'numeric';
  width?: '2' | '5';
  /** The unit after the box (°C, g): GOV.UK's input suffix. */
  suffix?: string | undefined;
}

/**
 * GOV.UK's number input: a text input with a numeric keyboard, since type=number loses what it
 * cannot parse and lets a scroll wheel change the value.
 */
export function NumberField({ id, label, hint, error, value, onInput, inputMode = 'decimal', width = '5', suffix }: NumberFieldProps) {
  const input = (
    <input
      class={`govuk-input govuk-input--width-${width}${error ? ' govuk-input--error' : ''}`}
      id={id}
      name={id}
      type="text"
      inputMode={inputMode}
      spellcheck={false}
      autoComplete="off"
      value={value}
      aria-describedby={described(id, hint, error)}
      onInput={(event) => {
        onInput(event.currentTarget.value);
      }}
    />
  );
  return (
    <FormGroup error={error}>
      <FieldParts id={id} label={label} hint={hint} error={error} />
      {suffix ? (
        <div class="govuk-input__wrapper">
          {input}
          <div class="govuk-input__suffix" aria-hidden="true">
            {suffix}
          </div>
        </div>
      ) : (
        input
      )}
    </FormGroup>
  );
}
