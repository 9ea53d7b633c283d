import { ButtonGroup } from '../../ui/ButtonGroup.tsx';
import type { PlanDiffResponse } from '../../shared/api/plans.ts';
import { Button } from '../../ui/form.tsx';

interface Props {
  diff: PlanDiffResponse;
  busy: boolean;
  onApply: () => void;
  onCancel: () => void;
}

const who = (owner: string | null, target: string | null) => `${owner ?? 'no owner'}, ${target ?? 'no target'}`;

/** What a revised plan would change, before anything is changed. */
export function RevisionPreview({ diff, busy, onApply, onCancel }: Props) {
  return (
    <div class="app-panel" data-testid="revision-preview">
      <h2 class="govuk-heading-m">Changes in the revised plan</h2>
      <p class="govuk-body" data-testid="revision-counts">
        {diff.changed.length} changed, {diff.added.length} new, {diff.removed.length} to archive,{' '}
        {diff.unchanged.length} unchanged.
      </p>
      <p class="govuk-body">Actions that still exist keep their evidence and assignments. Archived actions are kept, with their evidence.</p>
      {diff.changed.length > 0 && (
        <>
          <h3 class="govuk-heading-s">Changed</h3>
          <ul class="govuk-list govuk-list--bullet">
            {diff.changed.map((c) => (
              <li key={c.id}>
                {c.ref}: {c.after.text}
                {c.before.text !== c.after.text && <span class="govuk-hint"> (was: {c.before.text})</span>}
                {(c.before.owner !== c.after.owner || c.before.target !== c.after.target) && (
                  <span class="govuk-hint">
                    {' '}
                    ({who(c.before.owner, c.before.target)} → {who(c.after.owner, c.after.target)})
                  </span>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
      {diff.added.length > 0 && (
        <>
          <h3 class="govuk-heading-s">New</h3>
          <ul class="govuk-list govuk-list--bullet">
            {diff.added.map((a) => (
              <li key={`${a.ref}-${String(a.index)}`}>
                {a.ref}: {a.action.text}
              </li>
            ))}
          </ul>
        </>
      )}
      {diff.removed.length > 0 && (
        <>
          <h3 class="govuk-heading-s">To archive (no longer in the plan)</h3>
          <ul class="govuk-list govuk-list--bullet">
            {diff.removed.map((r) => (
              <li key={r.id}>
                {r.ref}: {r.text}
              </li>
            ))}
          </ul>
        </>
      )}
      <ButtonGroup>
        <Button disabled={busy} onClick={onApply}>
          {busy ? 'Applying…' : 'Apply changes'}
        </Button>
        <Button secondary onClick={onCancel}>
          Cancel
        </Button>
      </ButtonGroup>
    </div>
  );
}
