import type { ComponentChildren } from 'preact';
import { ErrorMessage } from './ErrorMessage.tsx';
import { FormGroup } from './FormGroup.tsx';

interface FieldsetProps {
  /** Names the hint (`${id}-hint`) and, unless errorId says otherwise, the error (`${id}-error`). */
  id: string;
  legend: ComponentChildren;
  /** 's' (a question among others, the default), 'm' heading its part of the form, or read by screen readers only. */
  legendSize?: 's' | 'm' | 'hidden' | undefined;
  /** The legend is the page's heading for this part: wrapped in an h2. */
  heading?: boolean;
  hint?: ComponentChildren;
  error?: string | undefined;
  /** When the error's id is not the fieldset's: the id the error summary links to. */
  errorId?: string | undefined;
  children: ComponentChildren;
  /** What follows the fieldset in the same group: a select to add another choice, say. */
  after?: ComponentChildren;
}

/** A GOV.UK fieldset in its form group: legend, hint and error above a group of controls. */
export function Fieldset({ id, legend, legendSize = 's', heading = false, hint, error, errorId = id, children, after }: FieldsetProps) {
  const describedBy = [hint ? `${id}-hint` : '', error ? `${errorId}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <FormGroup error={error}>
      <fieldset class="govuk-fieldset" aria-describedby={describedBy}>
        <legend class={legendSize === 'hidden' ? 'govuk-visually-hidden' : `govuk-fieldset__legend govuk-fieldset__legend--${legendSize}`}>
          {heading ? <h2 class="govuk-fieldset__heading">{legend}</h2> : legend}
        </legend>
        {hint && (
          <div class="govuk-hint" id={`${id}-hint`}>
            {hint}
          </div>
        )}
        <ErrorMessage id={errorId} error={error} />
        {children}
      </fieldset>
      {after}
    </FormGroup>
  );
}
