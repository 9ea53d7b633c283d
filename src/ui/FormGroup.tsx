import type { ComponentChildren } from 'preact';

interface FormGroupProps {
  children: ComponentChildren;
  /** Marks the group red while its field has an error. */
  error?: string | null | undefined;
  /** Extra classes: spacing overrides, the app's own layout. */
  class?: string | undefined;
  id?: string | undefined;
  testId?: string | undefined;
}

/** A GOV.UK form group: the box round one question, red-edged while it has an error. */
export function FormGroup({ children, error, class: extra, id, testId }: FormGroupProps) {
  return (
    <div class={`govuk-form-group${error ? ' govuk-form-group--error' : ''}${extra ? ` ${extra}` : ''}`} id={id} data-testid={testId}>
      {children}
    </div>
  );
}
