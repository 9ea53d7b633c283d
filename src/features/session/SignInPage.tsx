import { useOnline } from '../../app/useOnline.ts';
import { PageHeading } from '../../ui/PageHeading.tsx';
import { SignInForm } from './SignInForm.tsx';

export function SignInPage() {
  const online = useOnline();
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
