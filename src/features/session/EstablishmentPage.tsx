import { useEffect, useState } from 'preact/hooks';
import { changeEstablishment } from '../../api/session.ts';
import { useSession } from '../../api/sessionContext.ts';
import { useOnline } from '../../api/useOnline.ts';
import { holdsDataOf, waitingIn } from '../../data/establishments.ts';
import { ROLE_LABELS } from '../../shared/roles.ts';
import { Button, ErrorSummary, Form, type FieldError } from '../../ui/form.tsx';
import { PageHeading } from '../../ui/PageHeading.tsx';
import { Radios } from '../../ui/Radios.tsx';
import { plural } from '../../shared/words.ts';

/** What this device holds of each establishment: whether it can go there offline, and what waits to be sent there. */
type Held = Record<string, { held: boolean; waiting: number }>;

function useHeld(ids: readonly string[]): Held | null {
  const [held, setHeld] = useState<Held | null>(null);
  const key = ids.join();
  useEffect(() => {
    let live = true;
    const read = async (id: string) => [id, { held: await holdsDataOf(id), waiting: await waitingIn(id) }] as const;
    void Promise.all(ids.map(read)).then((entries) => {
      if (live) setHeld(Object.fromEntries(entries));
    });
    return () => {
      live = false;
    };
  }, [key]);
  return held;
}

/**
 * Where the person is working, for people in several establishments (after signing in, and from the
 * status bar). Each establishment's data stays apart on the device: changing parks what is here,
 * unsent work included, and brings back what was kept of the other.
 */
export function EstablishmentPage() {
  const session = useSession();
  const online = useOnline();
  const { establishments, establishment: current } = session.info;
  const held = useHeld(establishments.map((e) => e.id));
  const [chosen, setChosen] = useState(current.id);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [busy, setBusy] = useState(false);

  const reachable = (id: string) => id === current.id || online || held?.[id]?.held === true;

  const submit = async () => {
    const target = establishments.find((e) => e.id === chosen);
    if (!target) return;
    setErrors([]);
    setBusy(true);
    try {
      if (target.id !== current.id) await changeEstablishment(target);
      // A fresh start of the app (from the service worker's cache, so offline too): nothing read in
      // the establishment just left stays in memory.
      location.assign('/');
    } catch (error) {
      setErrors([{ field: `establishment-${target.id}`, message: error instanceof Error ? error.message : 'Could not change establishment.' }]);
    } finally {
      setBusy(false);
    }
  };

  const hint = (id: string, roles: string) => {
    if (id === current.id) return `${roles}. Working here now.`;
    const here = held?.[id];
    if (!here) return roles;
    if (!here.held) return `${roles}. Nothing of it on this device yet${online ? '' : ': needs a connection'}.`;
    return `${roles}. Kept on this device${here.waiting ? `, ${plural(here.waiting, 'item', 'items')} waiting to send` : ''}.`;
  };

  return (
    <div class="govuk-grid-row">
      <div class="govuk-grid-column-two-thirds">
        <PageHeading>Where are you working?</PageHeading>
        <ErrorSummary errors={errors} />
        <Form onSubmit={() => void submit()}>
          <Radios
            name="establishment"
            legend="Establishment"
            legendSize="hidden"
            hint={`You work in ${establishments.length} establishments. What you record is kept and sent for the one you choose, and each one’s data stays apart on this device.`}
            selected={chosen}
            onChange={setChosen}
            options={establishments.map((e) => ({
              value: e.id,
              label: e.name,
              hint: hint(e.id, e.roles.map((r) => ROLE_LABELS[r]).join(', ')),
              disabled: !reachable(e.id),
            }))}
          />
          <Button type="submit" disabled={busy}>
            {busy ? 'Changing…' : 'Continue'}
          </Button>
        </Form>
      </div>
    </div>
  );
}
