import type { ComponentChildren } from 'preact';

interface CheckboxProps {
  id: string;
  label: ComponentChildren;
  /** Said beneath the label, and read with the box. */
  hint?: string | undefined;
  checked: boolean;
  onChange: (checked: boolean) => void;
}

/** One GOV.UK checkbox: goes inside a CheckboxList. */
export function Checkbox({ id, label, hint, checked, onChange }: CheckboxProps) {
  return (
    <div class="govuk-checkboxes__item">
      <input
        class="govuk-checkboxes__input"
        id={id}
        type="checkbox"
        checked={checked}
        aria-describedby={hint ? `${id}-hint` : undefined}
        onChange={(event) => {
          onChange(event.currentTarget.checked);
        }}
      />
      <label class="govuk-label govuk-checkboxes__label" for={id}>
        {label}
      </label>
      {hint && (
        <div id={`${id}-hint`} class="govuk-hint govuk-checkboxes__hint">
          {hint}
        </div>
      )}
    </div>
  );
}

/** The box round a group of checkboxes: GOV.UK's small ones, as the app's busy forms use. */
export function CheckboxList({ id, children }: { id?: string | undefined; children: ComponentChildren }) {
  return (
    <div class="govuk-checkboxes govuk-checkboxes--small" id={id}>
      {children}
    </div>
  );
}
