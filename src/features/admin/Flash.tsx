/** A green "done" banner after a change, announced to screen readers. */
export function Flash({ message }: { message: string | null }) {
  if (!message) return null;
  return (
    <div class="govuk-notification-banner govuk-notification-banner--success" role="alert" aria-labelledby="flash-title">
      <div class="govuk-notification-banner__header">
        <h2 class="govuk-notification-banner__title" id="flash-title">
          Success
        </h2>
      </div>
      <div class="govuk-notification-banner__content">
        <p class="govuk-notification-banner__heading">{message}</p>
      </div>
    </div>
  );
}
