import type { ComponentChildren } from 'preact';

/** GOV.UK warning text: the "!" icon and a bold sentence that must not be missed. */
export function WarningText({ children, testId }: { children: ComponentChildren; testId?: string }) {
  return (
    <div class="govuk-warning-text" data-testid={testId}>
      <span class="govuk-warning-text__icon" aria-hidden="true">
        !
      </span>
      <strong class="govuk-warning-text__text">
        <span class="govuk-visually-hidden">Warning</span>
        {children}
      </strong>
    </div>
  );
}
