import { ButtonGroup } from '../../ui/ButtonGroup.tsx';
import { useState } from 'preact/hooks';
import { api } from '../../api/api.ts';
import { errorMessage } from '../../api/useRemote.ts';
import { type Unit } from '../../shared/api/admin.ts';
import { Button, ErrorSummary, Form, TextField, type FieldError } from '../../ui/form.tsx';
import { ChangeButton } from '../../ui/ChangeButton.tsx';
import { PageHeading } from '../../ui/PageHeading.tsx';
import { WarningText } from '../../ui/WarningText.tsx';
import { Flash } from './Flash.tsx';
import { useAdminList } from './useAdminList.ts';

/** "1s, 2s,3s" -> ["1s", "2s", "3s"]: landings (and tagged places) are typed as one comma-separated line. */
export function parseLandings(text: string): string[] {
  return text.split(',').map((l) => l.trim()).filter(Boolean);
}

function UnitForm({ unit, onDone }: { unit: Unit | null; onDone: (message: string) => void }) {
  const [name, setName] = useState(unit?.name ?? '');
  const [landings, setLandings] = useState(unit?.landings.join(', ') ?? '');
  const [places, setPlaces] = useState(unit?.places.join(', ') ?? '');
  const [errors, setErrors] = useState<FieldError[]>([]);
  const prefix = unit ? 'edit-unit' : 'new-unit';
  const run = async (action: () => Promise<string>) => {
    setErrors([]);
    try {
      onDone(await action());
      if (!unit) {
        setName('');
        setLandings('');
        setPlaces('');
      }
    } catch (error) {
      setErrors([{ field: `${prefix}-name`, message: errorMessage(error) }]);
    }
  };
  return (
    <Form
      class={unit ? 'app-panel' : undefined}
      onSubmit={() =>
        void run(async () => {
          const body = { name, landings: parseLandings(landings), places: parseLandings(places) };
          const saved = unit ? await api.call('units.update', { params: { id: unit.id }, body }) : await api.call('units.create', { body });
          return `${saved.name} was ${unit ? 'saved' : 'added'}.`;
        })}
    >
      <h2 class="govuk-heading-m">{unit ? `Change ${unit.name}` : 'Add a unit'}</h2>
      <ErrorSummary errors={errors} />
      <TextField id={`${prefix}-name`} label="Name" hint="For example, A Wing" value={name} onInput={setName} />
      <TextField
        id={`${prefix}-landings`}
        label="Landings"
        hint="In walking order, separated by commas, for example: 1s, 2s, 3s"
        value={landings}
        onInput={setLandings}
        width="full"
      />
      <TextField
        id={`${prefix}-places`}
        label="Other places with a location tag (optional)"
        hint="Each gets a QR code on the tag sheet, separated by commas, for example: Servery, Laundry"
        value={places}
        onInput={setPlaces}
        width="full"
      />
      <ButtonGroup>
        <Button type="submit">{unit ? 'Save changes' : 'Add unit'}</Button>
        {unit && (
          <Button
            secondary
            onClick={() =>
              void run(async () => {
                await api.call('units.update', { params: { id: unit.id }, body: { archived: !unit.archived } });
                return unit.archived ? `${unit.name} is back in use.` : `${unit.name} was archived: its evidence stays.`;
              })}
          >
            {unit.archived ? 'Restore unit' : 'Archive unit'}
          </Button>
        )}
      </ButtonGroup>
    </Form>
  );
}

/**
 * The location tags put up on the wing: one QR code per unit and landing, scanned on a check as
 * proof of being there. A new sheet revokes the old one (a lost or copied sheet stops working).
 */
function LocationTags() {
  const [renewing, setRenewing] = useState(false);
  const [said, setSaid] = useState<{ ok: boolean; text: string } | null>(null);
  const renew = async () => {
    setRenewing(true);
    try {
      const { version } = await api.call('units.renewTags');
      setSaid({ ok: true, text: `Sheet ${version} is ready to download. Tags printed before it no longer work: put the new ones up.` });
    } catch (error) {
      setSaid({ ok: false, text: errorMessage(error) });
    } finally {
      setRenewing(false);
    }
  };
  return (
    <section aria-labelledby="tags-heading">
      <h2 class="govuk-heading-m" id="tags-heading">Location tags</h2>
      <p class="govuk-body">
        Print the tag sheet and put each QR code up where its name says. Staff scan the tag where they do a check, which shows
        the check was done there; the tablet needs no signal to scan.
      </p>
      <p class="govuk-body">
        <a class="govuk-link" href="/api/units/tags.pdf" download>Download the tag sheet (PDF)</a>
      </p>
      <WarningText>
        Making a new sheet stops every tag printed before from working. Do it if a sheet is lost or copied.
      </WarningText>
      {said?.ok && <Flash message={said.text} />}
      {said && !said.ok && <ErrorSummary errors={[{ field: 'tags-renew', message: said.text }]} />}
      <Button secondary id="tags-renew" disabled={renewing} onClick={() => void renew()}>
        Make a new tag sheet
      </Button>
    </section>
  );
}

export function UnitsPage() {
  const { list: units, flash, editingItem, startEditing, done } = useAdminList(() => api.call('units.list'));
  return (
    <>
      <PageHeading>Units and landings</PageHeading>
      <Flash message={flash} />
      {units.state === 'loading' && <p class="govuk-body">Loading…</p>}
      {units.state === 'error' && <ErrorSummary errors={[{ field: 'units', message: units.message }]} />}
      {editingItem && <UnitForm key={editingItem.id} unit={editingItem} onDone={done} />}
      {units.state === 'ready' && (
        <table class="govuk-table app-table--stack" id="units">
          <caption class="govuk-table__caption govuk-table__caption--m">Residential units</caption>
          <thead class="govuk-table__head">
            <tr class="govuk-table__row">
              <th scope="col" class="govuk-table__header">Unit</th>
              <th scope="col" class="govuk-table__header">Landings</th>
              <th scope="col" class="govuk-table__header">Status</th>
              <th scope="col" class="govuk-table__header"><span class="govuk-visually-hidden">Actions</span></th>
            </tr>
          </thead>
          <tbody class="govuk-table__body">
            {units.data.map((unit) => (
              <tr class="govuk-table__row" key={unit.id}>
                <td data-label="Unit" class="govuk-table__cell">{unit.name}</td>
                <td data-label="Landings" class="govuk-table__cell">
                  {unit.landings.join(', ') || 'None'}
                  {unit.places.length > 0 && <span class="govuk-body-s app-secondary-text"><br />Also tagged: {unit.places.join(', ')}</span>}
                </td>
                <td data-label="Status" class="govuk-table__cell">{unit.archived ? 'Archived' : 'In use'}</td>
                <td class="govuk-table__cell">
                  <ChangeButton name={unit.name} onClick={() => { startEditing(unit.id); }} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <UnitForm unit={null} onDone={done} />
      <LocationTags />
    </>
  );
}
