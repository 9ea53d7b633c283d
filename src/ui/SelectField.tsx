import { described, FieldParts } from './form.tsx';
import { FormGroup } from './FormGroup.tsx';

export interface SelectOption {
  value: string;
  label: string;
}

/** Options under a heading (`<optgroup>`): the actions of one concern, say. */
export interface SelectGroup {
  group: string;
  options: readonly SelectOption[];
}

interface SelectProps {
  id: string;
  value: string;
  options: readonly (SelectOption | SelectGroup)[];
  onChange: (value: string) => void;
  /** The first option, for "no choice" ("All", "Choose a unit"); none when absent. */
  empty?: string | undefined;
  error?: string | undefined;
  describedBy?: string | undefined;
  disabled?: boolean | undefined;
  /** Extra classes on the select: a wider one, spacing. */
  class?: string | undefined;
}

const option = (o: SelectOption) => (
  <option key={o.value} value={o.value}>
    {o.label}
  </option>
);

/** The select on its own, for a row that puts a button beside it; most forms want SelectField. */
export function Select({ id, value, options, onChange, empty, error, describedBy, disabled, class: extra }: SelectProps) {
  return (
    <select
      class={`govuk-select${error ? ' govuk-select--error' : ''}${extra ? ` ${extra}` : ''}`}
      id={id}
      name={id}
      value={value}
      disabled={disabled}
      aria-describedby={describedBy}
      onChange={(event) => {
        onChange(event.currentTarget.value);
      }}
    >
      {empty !== undefined && <option value="">{empty}</option>}
      {options.map((o) => ('group' in o ? (
        <optgroup key={o.group} label={o.group}>
          {o.options.map(option)}
        </optgroup>
      ) : option(o)))}
    </select>
  );
}

interface SelectFieldProps extends Omit<SelectProps, 'describedBy'> {
  label: string;
  hint?: string;
  /** Classes on the form group. */
  class?: string;
  selectClass?: string;
  size?: 's' | 'm';
}

/** A GOV.UK select with its label: the filters' and forms' one way to choose from a list. */
export function SelectField(props: SelectFieldProps) {
  const { id, label, hint, error, class: className, selectClass, size, ...select } = props;
  return (
    <FormGroup error={error} class={className}>
      <FieldParts id={id} label={label} hint={hint} error={error} size={size} />
      <Select id={id} error={error} describedBy={described(id, hint, error)} class={selectClass} {...select} />
    </FormGroup>
  );
}
