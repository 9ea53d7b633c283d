import type { ComponentChildren } from 'preact';
import { ErrorMessage } from './ErrorMessage.tsx';
import { described } from './form.tsx';

export interface RadioOption<T extends string> {
  value: T;
  label: string;
  hint?: string | undefined;
  disabled?: boolean | undefined;
  /** A follow-up question, shown beneath this choice while it is chosen (conditional reveal). */
  conditional?: ComponentChildren;
}

interface RadiosProps<T extends string> {
  /** The group's name; each choice's id is `${name}-${value}`. */
  name: string;
  legend: string;
  /** 's' (a question among others, the default), 'm' (one that heads its part of the form), or read by screen readers only. */
  legendSize?: 's' | 'm' | 'hidden';
  hint?: string | undefined;
  error?: string | undefined;
  /** GOV.UK's small radios, for choices inside a busier form. */
  small?: boolean;
  options: readonly RadioOption<T>[];
  selected: T;
  onChange: (value: T) => void;
}

/** GOV.UK radios, with a hint per choice and conditional reveal. */
export function Radios<T extends string>(props: RadiosProps<T>) {
  const { name, legend, legendSize = 's', hint, error, small = false, options, selected, onChange } = props;
  return (
    <div class={`govuk-form-group${error ? ' govuk-form-group--error' : ''}`}>
      <fieldset class="govuk-fieldset" aria-describedby={described(name, hint, error)}>
        <legend class={legendSize === 'hidden' ? 'govuk-visually-hidden' : `govuk-fieldset__legend govuk-fieldset__legend--${legendSize}`}>
          {legend}
        </legend>
        {hint && (
          <div class="govuk-hint" id={`${name}-hint`}>
            {hint}
          </div>
        )}
        <ErrorMessage id={name} error={error} />
        <div class={`govuk-radios${small ? ' govuk-radios--small' : ''}`} id={name}>
          {options.map((option) => {
            const id = `${name}-${option.value}`;
            const open = selected === option.value;
            return [
              <div class="govuk-radios__item" key={id}>
                <input
                  class="govuk-radios__input"
                  id={id}
                  name={name}
                  type="radio"
                  value={option.value}
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
      </fieldset>
    </div>
  );
}
