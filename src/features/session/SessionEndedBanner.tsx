import { useWaitingCount } from '../../data/outbox.ts';
import type { StoredSession } from '../../data/session.ts';
import { SignInForm } from './SignInForm.tsx';
import { SsoSignIn, useSignInOptions } from './SsoSignIn.tsx';

/** The server ended the session: ask for the password again; queued work stays where it is. */
export function SessionEndedBanner({ session }: { session: StoredSession }) {
  const waiting = useWaitingCount() ?? 0;
  const { options, error, finishing } = useSignInOptions();
  if (finishing) return null;
  return (
    <div class="govuk-notification-banner" role="region" aria-labelledby="session-ended-title">
      <div class="govuk-notification-banner__header">
        <h2 class="govuk-notification-banner__title" id="session-ended-title">
          Sign in again
        </h2>
      </div>
      <div class="govuk-notification-banner__content">
        <p class="govuk-notification-banner__heading">
          Your session has ended, {session.info.user.displayName}. Sign in again to carry on syncing.
        </p>
        {waiting > 0 && <p class="govuk-body">Nothing is lost: {waiting} waiting to sync will be sent after you sign in.</p>}
        <SsoSignIn options={options} error={error} />
        {options?.localPasswords !== false && <SignInForm username={session.info.user.username} />}
      </div>
    </div>
  );
}
