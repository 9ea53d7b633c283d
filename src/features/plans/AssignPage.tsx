import { useEffect, useState } from 'preact/hooks';
import { useRoute } from 'preact-iso';
import { api } from '../../api/api.ts';
import { errorMessage, useRemote } from '../../api/useRemote.ts';
import { type PlanAssignments } from '../../shared/api/plans.ts';
import { Button, ErrorSummary } from '../../ui/form.tsx';
import { PageHeading } from '../../ui/PageHeading.tsx';
import { Select } from '../../ui/SelectField.tsx';
import { useProgressive } from '../../ui/useProgressive.ts';
import { Flash } from '../admin/Flash.tsx';

const REASONS: Record<PlanAssignments['actions'][number]['suggestion']['reason'], string> = {
  'job-title': 'Suggested: their job title matches the owner',
  'ambiguous': 'Several people hold the owner’s job title: choose one',
  'no-match': 'Nobody holds the owner’s job title',
  'no-owner': 'The plan names no owner',
};

/** After an import: who does each action, suggested from the owner's job title, confirmed here. */
export function AssignPage() {
  const { params } = useRoute();
  const id = params.id ?? '';
  const data = useRemote(() => api.call('plans.assignments', { params: { id } }), [id]);
  const [choices, setChoices] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [flash, setFlash] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const shown = useProgressive(data.state === 'ready' ? data.data.actions.length : 0, 40, 40);

  // Start from what is saved, else the suggestion.
  useEffect(() => {
    if (data.state !== 'ready') return;
    setChoices(Object.fromEntries(data.data.actions.map((a) => [a.actionId, a.assigneeId ?? a.suggestion.userId ?? ''])));
  }, [data.state === 'ready' ? data.data : null]);

  if (data.state === 'loading') return <p class="govuk-body">Loading…</p>;
  if (data.state === 'error') return <ErrorSummary errors={[{ field: 'assign', message: data.message }]} />;
  const { people, actions } = data.data;
  const assignees = people.map((p) => ({ value: p.id, label: `${p.displayName}${p.jobTitle ? ` (${p.jobTitle})` : ''}` }));

  const save = async () => {
    setSaving(true);
    setError(null);
    try {
      // "" is the "Nobody yet" option.
      const assignments = actions.map((a) => {
        const chosen = choices[a.actionId] ?? '';
        return { actionId: a.actionId, assigneeId: chosen === '' ? null : chosen };
      });
      const result = await api.call('plans.saveAssignments', { params: { id }, body: { assignments } });
      setFlash(`${String(result.updated)} ${result.updated === 1 ? 'assignment' : 'assignments'} saved.`);
      data.reload();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setSaving(false);
    }
  };

  return (
    <>
      <PageHeading>Assign actions</PageHeading>
      <Flash message={flash} />
      <ErrorSummary errors={error ? [{ field: 'assign', message: error }] : []} />
      <p class="govuk-body">
        Each action is suggested to the person whose job title matches its owner. Check them, then save.{' '}
        <a class="govuk-link" href={`/plans/${id}`}>
          Back to the plan
        </a>
      </p>
      <table class="govuk-table app-table--stack" id="assignments">
        <thead class="govuk-table__head">
          <tr class="govuk-table__row">
            <th scope="col" class="govuk-table__header">Ref</th>
            <th scope="col" class="govuk-table__header">Action</th>
            <th scope="col" class="govuk-table__header">Owner</th>
            <th scope="col" class="govuk-table__header">Assigned to</th>
          </tr>
        </thead>
        <tbody class="govuk-table__body">
          {actions.slice(0, shown).map((a, index) => (
            <tr class="govuk-table__row" key={a.actionId}>
              <td data-label="Ref" class="govuk-table__cell">{a.ref}</td>
              <td data-label="Action" class="govuk-table__cell">{a.text.length > 140 ? `${a.text.slice(0, 140)}…` : a.text}</td>
              <td data-label="Owner" class="govuk-table__cell">{a.owner ?? 'Not set'}</td>
              <td data-label="Assigned to" class="govuk-table__cell">
                <label class="govuk-visually-hidden" for={`assignee-${String(index)}`}>
                  Assigned to, action {a.ref}
                </label>
                <Select
                  id={`assignee-${String(index)}`}
                  value={choices[a.actionId] ?? ''}
                  empty="Nobody yet"
                  options={assignees}
                  onChange={(value) => {
                    setChoices((c) => ({ ...c, [a.actionId]: value }));
                  }}
                />
                <div class="govuk-hint govuk-!-margin-bottom-0">{a.assigneeId ? 'Saved' : REASONS[a.suggestion.reason]}</div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <Button disabled={saving} onClick={() => void save()}>
        {saving ? 'Saving…' : 'Save assignments'}
      </Button>
    </>
  );
}
