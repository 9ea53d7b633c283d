import type { ComponentChildren } from 'preact';
import { Fieldset } from './Fieldset.tsx';

/** A choice's value: a string, or true/false for a yes-or-no question. */
type RadioValue = string | boolean;

export interface RadioOption<T extends RadioValue> {
  value: T;
  label: string;
  hint?: string | undefined;
  disabled?: boolean | undefined;
  /** A follow-up question, shown beneath this choice while it is chosen (conditional reveal). */
  conditional?: ComponentChildren;
}

interface RadiosProps<T extends RadioValue> {
  /**
   * The group's name. As in GOV.UK's own macro, the first choice's id is the name (so an error
   * summary's link lands on it) and the others' are `${name}-2`, `${name}-3`…
   */
  name: string;
  legend: ComponentChildren;
  /** 's' (a question among others, the default), 'm' (one that heads its part of the form), or read by screen readers only. */
  legendSize?: 's' | 'm' | 'hidden';
  hint?: ComponentChildren;
  error?: string | undefined;
  /** GOV.UK's small radios, for choices inside a busier form. */
  small?: boolean;
  /** Side by side, for two or three short answers (Yes, No). */
  inline?: boolean;
  options: readonly RadioOption<T>[];
  selected: T | undefined;
  onChange: (value: T) => void;
}

/** GOV.UK radios, with a hint per choice and conditional reveal. */
export function Radios<T extends RadioValue>(props: RadiosProps<T>) {
  const { name, legend, legendSize, hint, error, small, inline, options, selected, onChange } = props;
  return (
    <Fieldset id={name} legend={legend} legendSize={legendSize} hint={hint} error={error}>
      <div class={`govuk-radios${small ? ' govuk-radios--small' : ''}${inline ? ' govuk-radios--inline' : ''}`}>
        {options.map((option, i) => {
          const id = i ? `${name}-${i + 1}` : name;
          const open = selected === option.value;
          return [
            <div class="govuk-radios__item" key={id}>
              <input
                class="govuk-radios__input"
                id={id}
                name={name}
                type="radio"
                value={String(option.value)}
                checked={open}
                disabled={option.disabled}
                aria-controls={option.conditional ? `${id}-conditional` : undefined}
                aria-describedby={option.hint ? `${id}-hint` : undefined}
                onChange={() => {
                  onChange(option.value);
                }}
              />
              <label class="govuk-label govuk-radios__label" for={id}>
                {option.label}
              </label>
              {option.hint && (
                <div id={`${id}-hint`} class="govuk-hint govuk-radios__hint">
                  {option.hint}
                </div>
              )}
            </div>,
            option.conditional && (
              <div
                key={`${id}-conditional`}
                id={`${id}-conditional`}
                class={`govuk-radios__conditional${open ? '' : ' govuk-radios__conditional--hidden'}`}
              >
                {option.conditional}
              </div>
            ),
          ];
        })}
      </div>
    </Fieldset>
  );
}
