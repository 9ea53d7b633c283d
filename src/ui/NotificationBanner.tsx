import type { ComponentChildren } from 'preact';

interface Props {
  title: string;
  children: ComponentChildren;
}

/** GOV.UK notification banner, announced to screen readers when it appears. */
export function NotificationBanner({ title, children }: Props) {
  return (
    <div class="govuk-notification-banner" role="region" aria-labelledby="notification-banner-title">
      <div class="govuk-notification-banner__header">
        <h2 class="govuk-notification-banner__title" id="notification-banner-title">
          {title}
        </h2>
      </div>
      <div class="govuk-notification-banner__content" role="alert">
        {children}
      </div>
    </div>
  );
}
