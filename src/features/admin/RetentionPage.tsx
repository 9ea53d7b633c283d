import { useState } from 'preact/hooks';
import { api } from '../../api/api.ts';
import { errorMessage, useRemote } from '../../api/useRemote.ts';
import { type RetentionSettings } from '../../shared/api/admin.ts';
import { Button, ErrorSummary, Form, type FieldError } from '../../ui/form.tsx';
import { PageHeading } from '../../ui/PageHeading.tsx';
import { SelectField } from '../../ui/SelectField.tsx';
import { Flash } from './Flash.tsx';
import { plural } from '../../shared/words.ts';

const KEEP_EVERYTHING = 'keep';
/** The periods records schedules use; any whole number up to 100 is accepted by the server. */
const PERIODS = [1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 15, 20, 25];
const day = new Intl.DateTimeFormat('en-GB', { dateStyle: 'long' });
const when = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short' });

const describePeriod = (years: number | null) => (years === null ? 'kept until you choose a period' : `kept for ${plural(years, 'year')}`);

function Current({ settings }: { settings: RetentionSettings }) {
  const { before, expiring, lastPurge } = settings;
  return (
    <>
      <p class="govuk-body">
        Evidence is {describePeriod(settings.retentionYears)}.
        {before !== null && (
          <>
            {' '}
            The next purge removes evidence submitted before {day.format(new Date(before))}:{' '}
            <strong>{expiring === 0 ? 'nothing is due to go' : `${plural(expiring, 'check or note', 'checks and notes')} now`}</strong>.
          </>
        )}
      </p>
      <p class="govuk-body">
        {lastPurge
          ? `The purge last removed ${plural(lastPurge.checks, 'check or note', 'checks and notes')}, ${plural(lastPurge.reviews, 'review')} and `
          + `${plural(lastPurge.photos, 'photo')} on ${when.format(new Date(lastPurge.at))}.`
          : 'The purge has not removed anything yet.'}
      </p>
    </>
  );
}

export function RetentionPage() {
  const remote = useRemote(() => api.call('retention.get'));
  const [choice, setChoice] = useState<string | null>(null);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [flash, setFlash] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  if (remote.state === 'loading') return <p class="govuk-body">Loading…</p>;
  if (remote.state === 'error') return <ErrorSummary errors={[{ field: '', message: remote.message }]} />;
  const settings = remote.data;
  const selected = choice ?? (settings.retentionYears === null ? KEEP_EVERYTHING : String(settings.retentionYears));
  // A period set elsewhere (the API takes any whole number) is offered too, so saving keeps it.
  const current = settings.retentionYears;
  const periods = current === null || PERIODS.includes(current) ? PERIODS : [...PERIODS, current].sort((a, b) => a - b);

  const save = async () => {
    setErrors([]);
    setFlash(null);
    setSaving(true);
    try {
      const retentionYears = selected === KEEP_EVERYTHING ? null : Number(selected);
      const saved = await api.call('retention.set', { body: { retentionYears } });
      setFlash(`Evidence is now ${describePeriod(saved.retentionYears)}.`);
      setChoice(null);
      remote.reload();
    } catch (error) {
      setErrors([{ field: 'retention-years', message: errorMessage(error) }]);
    } finally {
      setSaving(false);
    }
  };

  return (
    <>
      <PageHeading>Evidence retention</PageHeading>
      <Flash message={flash} />
      <ErrorSummary errors={errors} />
      <Current settings={settings} />
      <p class="govuk-body">
        Once a day the server removes checks and notes older than the period, with their reviews and the photos nothing else
        uses, and records each removal in the audit log. It never removes evidence of an action that is still open, nor a check
        that a kept correction replaces. Coverage for days older than the period then shows no checks.
      </p>
      <Form onSubmit={() => void save()}>
        <SelectField
          id="retention-years"
          label="Keep evidence and photos for"
          hint="Follow your establishment’s records retention schedule."
          value={selected}
          options={[
            { value: KEEP_EVERYTHING, label: 'Keep everything' },
            ...periods.map((years) => ({ value: String(years), label: plural(years, 'year') })),
          ]}
          onChange={setChoice}
          error={errors[0]?.message}
        />
        <Button type="submit" disabled={saving}>
          Save retention period
        </Button>
      </Form>
    </>
  );
}
