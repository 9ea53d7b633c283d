import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { choosesEstablishment, signIn } from '../../api/session.ts';
import { ApiRequestError } from '../../shared/api/errors.ts';
import { Button, ErrorSummary, Form, TextField, type FieldError } from '../../ui/form.tsx';

/** Username and password; on success the stored session changes and the app follows it. */
export function SignInForm({ username: fixedUsername }: { username?: string }) {
  const [username, setUsername] = useState(fixedUsername ?? '');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [busy, setBusy] = useState(false);
  const { route } = useLocation();

  const submit = async () => {
    const problems: FieldError[] = [];
    if (!username.trim()) problems.push({ field: 'username', message: 'Enter your username' });
    if (!password) problems.push({ field: 'password', message: 'Enter your password' });
    setErrors(problems);
    if (problems.length) return;
    setBusy(true);
    try {
      // Someone who works in several establishments says where they are today (not when signing in
      // again mid-task). The address changes before the signed-in app appears, so it opens there.
      await signIn(username, password, (info) => {
        if (fixedUsername === undefined && choosesEstablishment(info)) route('/establishment');
      });
    } catch (error) {
      const message = error instanceof ApiRequestError ? error.message : 'Sign-in failed. Try again.';
      setErrors([{ field: 'username', message }]);
      setPassword('');
    } finally {
      setBusy(false);
    }
  };

  const fieldError = (field: string) => errors.find((e) => e.field === field)?.message;
  return (
    <Form onSubmit={() => void submit()}>
      <ErrorSummary errors={errors} />
      {fixedUsername === undefined && (
        <TextField id="username" label="Username" value={username} onInput={setUsername} autoComplete="username" error={fieldError('username')} />
      )}
      <TextField
        id="password"
        label="Password"
        type="password"
        value={password}
        onInput={setPassword}
        autoComplete="current-password"
        error={fieldError('password') ?? (fixedUsername !== undefined ? fieldError('username') : undefined)}
      />
      <Button type="submit" disabled={busy}>
        {busy ? 'Signing in…' : 'Sign in'}
      </Button>
    </Form>
  );
}
