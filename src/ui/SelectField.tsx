import { described, FieldParts } from './form.tsx';

interface SelectFieldProps {
  id: string;
  label: string;
  value: string;
  options: readonly { value: string; label: string }[];
  onChange: (value: string) => void;
  /** The first option, for "no choice" ("All", "Choose a unit"); none when absent. */
  empty?: string;
  hint?: string;
  error?: string | undefined;
  class?: string;
  size?: 'm';
}

/** A GOV.UK select with its label: the filters' and forms' one way to choose from a list. */
export function SelectField(props: SelectFieldProps) {
  const { id, label, value, options, onChange, empty, hint, error, class: className, size } = props;
  return (
    <div class={`govuk-form-group${error ? ' govuk-form-group--error' : ''}${className ? ` ${className}` : ''}`}>
      <FieldParts id={id} label={label} hint={hint} error={error} size={size} />
      <select
        class={`govuk-select${error ? ' govuk-select--error' : ''}`}
        id={id}
        name={id}
        value={value}
        aria-describedby={described(id, hint, error)}
        onChange={(event) => {
          onChange(event.currentTarget.value);
        }}
      >
        {empty !== undefined && <option value="">{empty}</option>}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}
