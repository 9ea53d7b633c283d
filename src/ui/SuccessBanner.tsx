import type { ComponentChildren } from 'preact';

interface SuccessBannerProps {
  /** What was done, as the banner's heading. */
  message: ComponentChildren;
  title?: string;
  /** The title's id, for the banner's aria-labelledby. */
  titleId?: string;
}

/** GOV.UK's green success banner, announced to screen readers when it appears. */
export function SuccessBanner({ message, title = 'Success', titleId = 'success-title' }: SuccessBannerProps) {
  return (
    <div class="govuk-notification-banner govuk-notification-banner--success" role="alert" aria-labelledby={titleId}>
      <div class="govuk-notification-banner__header">
        <h2 class="govuk-notification-banner__title" id={titleId}>
          {title}
        </h2>
      </div>
      <div class="govuk-notification-banner__content">
        <p class="govuk-notification-banner__heading">{message}</p>
      </div>
    </div>
  );
}
