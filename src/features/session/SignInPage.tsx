import { useOnline } from '../../app/useOnline.ts';
import { PageHeading } from '../../ui/PageHeading.tsx';
import { ChangePasswordPage } from './ChangePasswordPage.tsx';
import { SignInForm } from './SignInForm.tsx';

/** Signing in; or, for someone signed in with a one-time password, choosing their own. */
export function SignInPage({ changingPasswordOf }: { changingPasswordOf?: string }) {
  const online = useOnline();
  if (changingPasswordOf !== undefined) return <ChangePasswordPage displayName={changingPasswordOf} />;
  return (
    <div class="govuk-grid-row">
      <div class="govuk-grid-column-two-thirds">
        <PageHeading>Sign in to Wingcheck</PageHeading>
        {!online && (
          <div class="govuk-inset-text">
            This device is offline. Signing in needs a connection the first time; after that, Wingcheck works without one.
          </div>
        )}
        <SignInForm />
      </div>
    </div>
  );
}
