import type { ComponentChildren } from 'preact';
import { ErrorMessage } from './ErrorMessage.tsx';
import { FormGroup } from './FormGroup.tsx';
import { useEffect, useRef } from 'preact/hooks';

export interface FieldError {
  /** The id of the input the error is about, for the summary's link. */
  field: string;
  message: string;
}

/** GOV.UK error summary: takes focus when it appears so screen readers announce it. */
export function ErrorSummary({ errors, title = 'There is a problem' }: { errors: readonly FieldError[]; title?: string }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (errors.length) ref.current?.focus();
  }, [errors]);
  if (!errors.length) return null;
  return (
    <div class="govuk-error-summary" ref={ref} tabIndex={-1} role="alert" aria-labelledby="error-summary-title">
      <h2 class="govuk-error-summary__title" id="error-summary-title">
        {title}
      </h2>
      <div class="govuk-error-summary__body">
        <ul class="govuk-list govuk-error-summary__list">
          {errors.map((e) => (
            <li key={e.field + e.message}>
              <a href={`#${e.field}`}>{e.message}</a>
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}

/** The ids of a field's hint and error, for its aria-describedby. */
export function described(id: string, hint: string | undefined, error: string | undefined): string | undefined {
  return [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
}

/** A GOV.UK field's label, hint and error message, above its control. */
interface FieldPartsProps {
  id: string;
  label: string;
  hint?: string | undefined;
  error?: string | undefined;
  /** A label that heads its part of the form: GOV.UK's small or medium size. */
  size?: 's' | 'm' | undefined;
}

export function FieldParts({ id, label, hint, error, size }: FieldPartsProps) {
  return (
    <>
      <label class={`govuk-label${size ? ` govuk-label--${size}` : ''}`} for={id}>
        {label}
      </label>
      {hint && (
        <div id={`${id}-hint`} class="govuk-hint">
          {hint}
        </div>
      )}
      <ErrorMessage id={id} error={error} />
    </>
  );
}

interface TextFieldProps {
  id: string;
  label: string;
  value: string;
  onInput: (value: string) => void;
  hint?: string;
  error?: string | undefined;
  type?: 'text' | 'password' | 'search';
  autoComplete?: string;
  width?: 'full' | '20' | '10';
  class?: string;
}

export function TextField({ id, label, value, onInput, hint, error, type = 'text', autoComplete, width = '20', class: className }: TextFieldProps) {
  const inputProps = {
    'class': `govuk-input${width === 'full' ? '' : ` govuk-input--width-${width}`}${error ? ' govuk-input--error' : ''}`,
    id,
    'name': id,
    value,
    autoComplete,
    'spellcheck': false,
    'aria-describedby': described(id, hint, error),
    'onInput': (event: Event) => {
      onInput((event.currentTarget as HTMLInputElement).value);
    },
  };
  return (
    <FormGroup error={error} class={className}>
      <FieldParts id={id} label={label} hint={hint} error={error} />
      {/* Each type on its own: Preact's types tie an input's type to the attributes it may have. */}
      {type === 'password' ? <input type="password" {...inputProps} /> : type === 'search' ? <input type="search" {...inputProps} /> : <input type="text" {...inputProps} />}
    </FormGroup>
  );
}

/** Every GOV.UK button the app uses: primary (the default), secondary, warning or start; a link when it has an href. */
interface ButtonProps {
  children: ComponentChildren;
  onClick?: () => void;
  secondary?: boolean;
  warning?: boolean;
  /** The one call to action that begins something (single sign-on). */
  start?: boolean;
  disabled?: boolean;
  type?: 'button' | 'submit';
  id?: string;
  /** A link that looks like a button: it goes to another page rather than does something here. */
  href?: string;
  /** Extra classes: a table's compact button, spacing overrides. */
  class?: string;
}

export function Button({ children, onClick, secondary, warning, start, disabled, type = 'button', id, href, class: extra }: ButtonProps) {
  const variant = warning ? ' govuk-button--warning' : secondary ? ' govuk-button--secondary' : start ? ' govuk-button--start' : '';
  const classes = `govuk-button${variant}${extra ? ` ${extra}` : ''}`;
  if (href !== undefined) {
    return (
      <a class={classes} href={href} id={id}>
        {children}
      </a>
    );
  }
  return (
    <button type={type} id={id} class={classes} disabled={disabled} onClick={onClick}>
      {children}
    </button>
  );
}

/** A form the app handles itself: no browser validation bubbles (GOV.UK error summaries instead). */
interface FormProps {
  onSubmit: () => void;
  children: ComponentChildren;
  class?: string | undefined;
}

export function Form({ onSubmit, children, class: className }: FormProps) {
  return (
    <form
      noValidate
      class={className}
      onSubmit={(event) => {
        event.preventDefault();
        onSubmit();
      }}
    >
      {children}
    </form>
  );
}
