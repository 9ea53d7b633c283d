import { ButtonGroup } from '../../ui/ButtonGroup.tsx';
import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { api } from '../../api/api.ts';
import { errorMessage } from '../../api/useRemote.ts';
import { readTarget } from '../../shared/plan-import/targets.ts';
import {
  warningText,
  withoutReadings,
  type ActionReading,
  type PlanPreview,
  type PlanWarning,
  type PreviewAction,
} from '../../shared/plan-import/schema.ts';
import { CellField } from '../../ui/CellField.tsx';
import { Button, ErrorSummary, TextField } from '../../ui/form.tsx';
import { PageHeading } from '../../ui/PageHeading.tsx';
import { useProgressive } from '../../ui/useProgressive.ts';
import { ConcernHeading } from './ConcernHeading.tsx';

/** Warnings are "ref: message": shown beside the concern they are about. */
function warningsFor(ref: string, warnings: readonly PlanWarning[]): string[] {
  return warnings.filter((w) => w.ref === ref).map((w) => w.message);
}

/** A table cell holding one editable value; blank reads as null and is marked for attention. */
interface CellInputProps {
  id: string;
  label: string;
  value: string | null;
  onChange: (value: string | null) => void;
}

function CellInput({ id, label, value, onChange }: CellInputProps) {
  return (
    <td class="govuk-table__cell" data-label={label}>
      <CellField
        id={id}
        label={label}
        value={value ?? ''}
        invalid={!value}
        onInput={(text) => {
          onChange(text.trim() ? text : null);
        }}
      />
    </td>
  );
}

/** How each action was read, in words and a tag colour: the person checking looks at guesses first. */
const READINGS: Record<ActionReading, { label: string; tag: string; hint: string }> = {
  cell: { label: 'From the table', tag: 'govuk-tag--grey', hint: 'read from the plan\'s own cells' },
  recovered: { label: 'Recovered', tag: 'govuk-tag--blue', hint: 'rebuilt from the layout: check the owner and date' },
  guessed: { label: 'Check', tag: 'govuk-tag--red', hint: 'could not be lined up for certain: check every field' },
};

function ActionRow({ id, action, onChange }: { id: string; action: PreviewAction; onChange: (next: PreviewAction) => void }) {
  const reading = READINGS[action.read];
  return (
    <tr class="govuk-table__row">
      <td class="govuk-table__cell" data-label="Read">
        <strong class={`govuk-tag ${reading.tag}`} title={reading.hint} data-testid="action-reading">
          {reading.label}
        </strong>
      </td>
      <td class="govuk-table__cell app-preview__text" data-label="Action">
        <CellField
          id={`${id}-text`}
          label="Action"
          rows={3}
          class="app-preview__textarea"
          value={action.text}
          onInput={(text) => {
            onChange({ ...action, text });
          }}
        />
      </td>
      <CellInput
        id={`${id}-owner`}
        label="Owner"
        value={action.owner}
        onChange={(owner) => {
          onChange({ ...action, owner });
        }}
      />
      <CellInput
        id={`${id}-target`}
        label="Target"
        value={action.target}
        onChange={(target) => {
          onChange({ ...action, target, ...(target ? readTarget(target) : { due: null, complete: false }) });
        }}
      />
      <td class="govuk-table__cell" data-label="Due">
        {action.complete ? 'Complete' : (action.due ?? 'No date')}
      </td>
    </tr>
  );
}

/** Everything the importer read, to check and correct before it is stored. */
export function ImportPreview({ initial, onCancel }: { initial: PlanPreview; onCancel: () => void }) {
  const { route } = useLocation();
  const [plan, setPlan] = useState(initial);
  const [title, setTitle] = useState(`Action plan: ${initial.establishment ?? 'establishment'} (${initial.source})`);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const actionCount = plan.recommendations.reduce((n, r) => n + r.actions.length, 0);
  const shown = useProgressive(plan.recommendations.length);

  const updateAction = (recIndex: number, actionIndex: number, next: PreviewAction) => {
    setPlan((current) => ({
      ...current,
      recommendations: current.recommendations.map((rec, i) =>
        i === recIndex ? { ...rec, actions: rec.actions.map((a, j) => (j === actionIndex ? next : a)) } : rec,
      ),
    }));
  };

  const confirm = async () => {
    setSaving(true);
    setError(null);
    try {
      const saved = await api.call('plans.import', { body: { title, plan: withoutReadings(plan) } });
      route(`/plans/${saved.id}`);
    } catch (e) {
      setError(errorMessage(e));
      setSaving(false);
    }
  };

  const aboutNoConcern = (w: PlanWarning) => w.ref === null || !plan.recommendations.some((r) => r.ref === w.ref);
  const general = plan.warningDetails.filter(aboutNoConcern).map(warningText);
  const readCount = (reading: ActionReading) =>
    plan.recommendations.reduce((n, r) => n + r.actions.filter((a) => a.read === reading).length, 0);
  const [recovered, guessed] = [readCount('recovered'), readCount('guessed')];
  return (
    <>
      <PageHeading>Check the plan before saving</PageHeading>
      <ErrorSummary errors={error ? [{ field: 'plan-title', message: error }] : []} />
      <p class="govuk-body-l" data-testid="preview-summary">
        {plan.establishment ?? 'Establishment not named'}: {plan.recommendations.length} concerns or recommendations, {actionCount} actions
      </p>
      <p class="govuk-body" data-testid="preview-readings">
        {actionCount - recovered - guessed} read from the table, {recovered} recovered from the layout, {guessed} to check: each
        action is marked, and the ones marked <strong>Check</strong> need every field looked at.
      </p>
      {plan.warnings.length > 0 && (
        <div class="govuk-warning-text">
          <span class="govuk-warning-text__icon" aria-hidden="true">
            !
          </span>
          <strong class="govuk-warning-text__text">
            <span class="govuk-visually-hidden">Warning</span>
            {plan.warnings.length} {plan.warnings.length === 1 ? 'thing needs' : 'things need'} checking: look for the notes beside the concerns,
            and fill in any owner or target left blank.
          </strong>
        </div>
      )}
      {general.length > 0 && (
        <ul class="govuk-list govuk-list--bullet">
          {general.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      )}
      <TextField id="plan-title" label="Plan title" value={title} onInput={setTitle} width="full" />
      {plan.recommendations.slice(0, shown).map((rec, recIndex) => {
        const notes = warningsFor(rec.ref, plan.warningDetails);
        return (
          <section class="app-preview__rec" key={rec.ref} aria-labelledby={`rec-${recIndex}`}>
            <ConcernHeading id={`rec-${String(recIndex)}`} {...rec} />
            {notes.map((note) => (
              <p class="govuk-inset-text app-preview__note" key={note}>
                {note}
              </p>
            ))}
            <table class="govuk-table app-preview__table app-table--stack">
              <thead class="govuk-table__head">
                <tr class="govuk-table__row">
                  <th scope="col" class="govuk-table__header">Read</th>
                  <th scope="col" class="govuk-table__header">Action</th>
                  <th scope="col" class="govuk-table__header">Owner</th>
                  <th scope="col" class="govuk-table__header">Target</th>
                  <th scope="col" class="govuk-table__header">Due</th>
                </tr>
              </thead>
              <tbody class="govuk-table__body">
                {rec.actions.map((action, actionIndex) => (
                  <ActionRow
                    key={`${rec.ref}-${String(actionIndex)}`}
                    id={`action-${String(recIndex)}-${String(actionIndex)}`}
                    action={action}
                    onChange={(next) => {
                      updateAction(recIndex, actionIndex, next);
                    }}
                  />
                ))}
              </tbody>
            </table>
          </section>
        );
      })}
      {shown < plan.recommendations.length && (
        <p class="govuk-body" role="status">
          Showing {shown} of {plan.recommendations.length}…
        </p>
      )}
      <ButtonGroup>
        <Button disabled={saving} onClick={() => void confirm()}>
          {saving ? 'Saving…' : 'Save plan'}
        </Button>
        <Button secondary onClick={onCancel}>
          Cancel
        </Button>
      </ButtonGroup>
    </>
  );
}
