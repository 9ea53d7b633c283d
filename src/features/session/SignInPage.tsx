import { useOnline } from '../../api/useOnline.ts';
import { PageHeading } from '../../ui/PageHeading.tsx';
import { ChangePasswordPage } from './ChangePasswordPage.tsx';
import { SignInForm } from './SignInForm.tsx';
import { SsoSignIn, useSignInOptions } from './SsoSignIn.tsx';

/** Signing in; or, for someone signed in with a one-time password, choosing their own. */
export function SignInPage({ changingPasswordOf }: { changingPasswordOf?: string }) {
  const online = useOnline();
  const { options, error, finishing } = useSignInOptions();
  if (changingPasswordOf !== undefined) return <ChangePasswordPage displayName={changingPasswordOf} />;
  if (finishing) return <p class="govuk-body">Signing in…</p>;
  return (
    <div class="govuk-grid-row">
      <div class="govuk-grid-column-two-thirds">
        <PageHeading>Sign in to Wingcheck</PageHeading>
        {!online && (
          <div class="govuk-inset-text">
            This device is offline. Signing in needs a connection the first time; after that, Wingcheck works without one.
          </div>
        )}
        <SsoSignIn options={options} error={error} />
        {options?.localPasswords !== false && <SignInForm />}
      </div>
    </div>
  );
}
