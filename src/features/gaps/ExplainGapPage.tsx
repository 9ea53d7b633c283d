import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { useSession } from '../../api/sessionContext.ts';
import { explainGap } from '../../data/gaps.ts';
import { useReferenceData } from '../../data/queries.ts';
import { GAP_REASON_LABELS, GAP_REASONS, type GapReason } from '../../shared/gap-reasons.ts';
import { latestVersions } from '../../shared/today.ts';
import { ErrorMessage } from '../../ui/ErrorMessage.tsx';
import { Button, Form } from '../../ui/form.tsx';
import { PageHeading } from '../../ui/PageHeading.tsx';
import { Radios } from '../../ui/Radios.tsx';
import { SummaryList } from '../../ui/SummaryList.tsx';
import { TextArea } from '../../ui/TextArea.tsx';
import { formatDate } from '../capture/labels.ts';

const REASON_HINTS: Partial<Record<GapReason, string>> = {
  'regime-curtailment': 'The regime was cut short, for example for staff training or an incident elsewhere.',
  'unit-closed': 'The unit or its servery was closed or empty.',
};

/**
 * Explains why a check due on a day was missed or late: saved on the device and sent with the next
 * sync, so it works with no signal. The head of residence accepts or queries it.
 */
export function ExplainGapPage() {
  const { query, route } = useLocation();
  const { info } = useSession();
  const reference = useReferenceData();
  const [reason, setReason] = useState<GapReason | undefined>(undefined);
  const [detail, setDetail] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const { schedule: scheduleId, unit: unitId, due } = query;
  if (!reference) return <p class="govuk-body">Loading…</p>;
  const schedule = reference.schedules.find((s) => s.id === scheduleId);
  const unit = reference.units.find((u) => u.id === unitId);
  const template = schedule ? latestVersions(reference.templates).get(schedule.templateId) : undefined;
  if (!schedule || !unit || !due || !/^\d{4}-\d{2}-\d{2}$/.test(due)) {
    return (
      <>
        <PageHeading>Explain a missed check</PageHeading>
        <p class="govuk-body">That check is not on this device. Go back to Today and choose it there.</p>
        <Button href="/">Back to Today</Button>
      </>
    );
  }
  const save = async () => {
    setError(null);
    if (!reason) {
      setError('Choose why the check was missed.');
      return;
    }
    if (reason === 'other' && detail.trim() === '') {
      setError('Say what happened: the reason is “other”.');
      return;
    }
    setSaving(true);
    try {
      const problem = await explainGap({
        authorId: info.user.id, scheduleId: schedule.id, unitId: unit.id, dueOn: due, reason, detail,
      });
      if (problem) setError(problem);
      else route('/');
    } catch (e) {
      setError(e instanceof Error ? `Not saved: ${e.message}` : 'Not saved.');
    } finally {
      setSaving(false);
    }
  };
  return (
    <>
      <PageHeading>Explain a missed check</PageHeading>
      <SummaryList
        rows={[
          { key: 'Check', value: template?.definition.title ?? 'Check' },
          { key: 'Unit', value: unit.name },
          { key: 'Due', value: formatDate(due, { weekday: true }) },
        ]}
      />
      <Form onSubmit={() => void save()}>
        <ErrorMessage error={error} testId="explain-error" />
        <Radios
          name="reason"
          legend="Why was it missed?"
          legendSize="m"
          options={GAP_REASONS.map((value) => ({ value, label: GAP_REASON_LABELS[value], hint: REASON_HINTS[value] }))}
          selected={reason}
          onChange={setReason}
        />
        <TextArea
          id="detail"
          label={reason === 'other' ? 'What happened' : 'What happened (optional)'}
          hint="For example, the times of the lockdown, or who was redeployed."
          value={detail}
          onInput={setDetail}
          rows={3}
        />
        <Button type="submit" disabled={saving}>
          Save explanation
        </Button>
        <p class="govuk-body-s app-secondary-text">It is kept on this device and sent when there is a connection.</p>
      </Form>
    </>
  );
}
