/**
 * A GOV.UK error message. A field's names it in its aria-describedby as `${id}-error`; without an
 * id it says why something on the page could not be done.
 */
export function ErrorMessage({ id, error, testId }: { id?: string; error: string | null | undefined; testId?: string }) {
  if (!error) return null;
  return (
    <p id={id && `${id}-error`} class="govuk-error-message" data-testid={testId}>
      <span class="govuk-visually-hidden">Error:</span> {error}
    </p>
  );
}
