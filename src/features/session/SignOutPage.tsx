import { useState } from 'preact/hooks';
import { signOut } from '../../api/session.ts';
import { useWaitingCount } from '../../data/outbox.ts';
import { DraftsOpenError, UnsyncedWorkError } from '../../data/local-data.ts';
import { ApiRequestError } from '../../shared/api/errors.ts';
import { Button, ErrorSummary } from '../../ui/form.tsx';
import { PageHeading } from '../../ui/PageHeading.tsx';

export function SignOutPage() {
  const waiting = useWaitingCount();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (waiting === undefined) return null;

  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      const endSessionUrl = await signOut();
      // Single sign-on: end the provider's session too; it sends the person back to the app.
      if (endSessionUrl) location.assign(endSessionUrl);
    } catch (e) {
      setError(e instanceof UnsyncedWorkError || e instanceof DraftsOpenError || e instanceof ApiRequestError ? e.message : 'Signing out failed. Try again.');
      setBusy(false);
    }
  };

  return (
    <>
      <PageHeading>Sign out</PageHeading>
      <ErrorSummary errors={error ? [{ field: 'sign-out', message: error }] : []} />
      {waiting > 0 ? (
        <div class="govuk-warning-text">
          <span class="govuk-warning-text__icon" aria-hidden="true">
            !
          </span>
          <strong class="govuk-warning-text__text" data-testid="sign-out-refused">
            <span class="govuk-visually-hidden">Warning</span>
            You cannot sign out yet: {waiting} {waiting === 1 ? 'item is' : 'items are'} waiting to sync and would be lost. Connect to the
            network and let them send first.
          </strong>
        </div>
      ) : (
        <>
          <p class="govuk-body">Signing out removes your data from this device. Everything you recorded has been sent.</p>
          <Button
            id="sign-out"
            disabled={busy}
            onClick={() => {
              void submit();
            }}
          >
            Sign out and clear this device
          </Button>
        </>
      )}
    </>
  );
}
