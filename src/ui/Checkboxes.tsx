import { Checkbox, CheckboxList } from './Checkbox.tsx';
import { Fieldset } from './Fieldset.tsx';

/** GOV.UK checkboxes: a fieldset of choices, any number ticked, with a hint per choice if need be. */
interface CheckboxesProps<T extends string> {
  /** The list's id; each box's is `${id}-${value}`. */
  id: string;
  legend: string;
  hint?: string | undefined;
  /** Each choice may say more beneath its label. */
  options: readonly { value: T; label: string; hint?: string | undefined }[];
  selected: readonly T[];
  onChange: (selected: T[]) => void;
  error?: string | undefined;
}

export function Checkboxes<T extends string>({ id, legend, hint, options, selected, onChange, error }: CheckboxesProps<T>) {
  return (
    <Fieldset id={id} legend={legend} hint={hint} error={error}>
      <CheckboxList id={id}>
        {options.map((option) => (
          <Checkbox
            key={option.value}
            id={`${id}-${option.value}`}
            label={option.label}
            hint={option.hint}
            checked={selected.includes(option.value)}
            onChange={(checked) => {
              onChange(checked ? [...selected, option.value] : selected.filter((v) => v !== option.value));
            }}
          />
        ))}
      </CheckboxList>
    </Fieldset>
  );
}
