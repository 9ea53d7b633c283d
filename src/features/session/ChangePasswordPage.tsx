import { ButtonGroup } from '../../ui/ButtonGroup.tsx';
import { useState } from 'preact/hooks';
import { changePassword, signOut } from '../../api/session.ts';
import { ApiRequestError } from '../../shared/api/errors.ts';
import { Button, ErrorSummary, Form, TextField, type FieldError } from '../../ui/form.tsx';
import { PageHeading } from '../../ui/PageHeading.tsx';

const MIN_LENGTH = 10;

/**
 * Shown instead of everything else to someone who signed in with a one-time password (from the
 * set-up command or a reset): they choose their own, and the app carries on once it is saved.
 */
export function ChangePasswordPage({ displayName }: { displayName: string }) {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    const problems: FieldError[] = [];
    if (!current) problems.push({ field: 'current-password', message: 'Enter the one-time password you signed in with' });
    if (next.length < MIN_LENGTH) problems.push({ field: 'new-password', message: `Enter a new password of at least ${MIN_LENGTH} characters` });
    else if (next === current) problems.push({ field: 'new-password', message: 'Choose a password different from the one-time password' });
    if (!problems.length && again !== next) problems.push({ field: 'confirm-password', message: 'The two new passwords are not the same' });
    setErrors(problems);
    if (problems.length) return;
    setBusy(true);
    try {
      await changePassword({ currentPassword: current, newPassword: next });
    } catch (error) {
      const issue = error instanceof ApiRequestError ? error.issues[0] : undefined;
      const message = issue?.message ?? (error instanceof ApiRequestError ? error.message : 'Saving failed. Try again.');
      setErrors([{ field: issue?.path === 'newPassword' ? 'new-password' : 'current-password', message }]);
    } finally {
      setBusy(false);
    }
  };

  const fieldError = (field: string) => errors.find((e) => e.field === field)?.message;
  return (
    <div class="govuk-grid-row">
      <div class="govuk-grid-column-two-thirds">
        <PageHeading>Choose your password</PageHeading>
        <p class="govuk-body">
          {displayName}, you signed in with a one-time password. Choose your own before you carry on: at least {MIN_LENGTH}{' '}
          characters; a few words you will remember are better than something short and complicated.
        </p>
        <Form onSubmit={() => void submit()}>
          <ErrorSummary errors={errors} />
          <TextField
            id="current-password"
            label="One-time password"
            type="password"
            value={current}
            onInput={setCurrent}
            autoComplete="current-password"
            error={fieldError('current-password')}
          />
          <TextField
            id="new-password"
            label="New password"
            type="password"
            value={next}
            onInput={setNext}
            autoComplete="new-password"
            error={fieldError('new-password')}
          />
          <TextField
            id="confirm-password"
            label="New password again"
            type="password"
            value={again}
            onInput={setAgain}
            autoComplete="new-password"
            error={fieldError('confirm-password')}
          />
          <ButtonGroup>
            <Button type="submit" disabled={busy}>
              {busy ? 'Saving…' : 'Save password'}
            </Button>
            <Button secondary onClick={() => void signOut().then(() => { location.assign('/'); })}>
              Sign out
            </Button>
          </ButtonGroup>
        </Form>
      </div>
    </div>
  );
}
