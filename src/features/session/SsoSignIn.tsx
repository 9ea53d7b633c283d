import { useEffect, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { choosesEstablishment } from '../../api/session.ts';
import { useOnline } from '../../api/useOnline.ts';
import type { SessionOptions } from '../../shared/auth.ts';
import { ApiRequestError } from '../../shared/api/errors.ts';
import { Button, ErrorSummary } from '../../ui/form.tsx';
import { fetchSessionOptions, finishSso, startSso, takeSsoDone, takeSsoError } from './sso.ts';

/**
 * What the server offers (asked when online): null until known, or offline, when the password
 * form shows as it always has. Also finishes a single sign-on the person has just come back from.
 */
export function useSignInOptions(): { options: SessionOptions | null; error: string | null; finishing: boolean } {
  const online = useOnline();
  const [options, setOptions] = useState<SessionOptions | null>(null);
  const [error, setError] = useState<string | null>(takeSsoError);
  const [finishing, setFinishing] = useState(takeSsoDone);
  const { route } = useLocation();
  useEffect(() => {
    if (!online) return;
    fetchSessionOptions()
      .then(setOptions)
      .catch((e: unknown) => {
        console.warn('could not read how to sign in', e);
      });
  }, [online]);
  useEffect(() => {
    if (!finishing) return;
    // Back from the provider: someone who works in several establishments says where they are today.
    finishSso((info) => {
      if (choosesEstablishment(info)) route('/establishment');
    })
      .catch((e: unknown) => {
        setError(e instanceof ApiRequestError && e.status !== 401 ? e.message : 'Single sign-on did not work. Try again.');
      })
      .finally(() => {
        setFinishing(false);
      });
  }, [finishing]);
  return { options, error, finishing };
}

/** "Sign in with <provider>", and why the last attempt failed. */
export function SsoSignIn({ options, error }: { options: SessionOptions | null; error: string | null }) {
  const online = useOnline();
  const [busy, setBusy] = useState(false);
  const [startError, setStartError] = useState<string | null>(null);
  const shown = startError ?? error;
  const sso = online ? options?.sso : null;
  const start = () => {
    setBusy(true);
    setStartError(null);
    startSso().catch((e: unknown) => {
      setStartError(e instanceof ApiRequestError ? e.message : 'Single sign-on did not start. Try again.');
      setBusy(false);
    });
  };
  return (
    <>
      <ErrorSummary errors={shown ? [{ field: 'sso', message: shown }] : []} />
      {sso && (
        <Button id="sso" start disabled={busy} onClick={start}>
          Sign in with {sso.name}
        </Button>
      )}
      {sso && options?.localPasswords && <p class="govuk-body">Or sign in with your Wingcheck username and password.</p>}
    </>
  );
}
