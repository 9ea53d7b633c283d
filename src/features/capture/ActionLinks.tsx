import { useSession } from '../../api/sessionContext.ts';
import { useAllActions, useAssignedActions } from '../../data/queries.ts';
import { ErrorMessage } from '../../ui/ErrorMessage.tsx';

// Hand-written GOV.UK markup, not the kit's components: this ships in the first bundle, whose budget
// has no room for the kit's more general checkboxes and select.
/** Which actions the evidence proves: the schedule's, the person's own, and any other they pick. */
interface ActionLinksProps {
  linked: readonly string[];
  onChange: (ids: string[]) => void;
  error: string | undefined;
}

export function ActionLinks({ linked, onChange, error }: ActionLinksProps) {
  const { info } = useSession();
  const mine = useAssignedActions(info.user.id) ?? [];
  const all = useAllActions() ?? [];
  const linkedActions = linked.map((id) => all.find((a) => a.id === id)).filter((a) => a !== undefined);
  const shown = [...linkedActions, ...mine.filter((a) => !linked.includes(a.id))];
  const others = all.filter((a) => !shown.some((s) => s.id === a.id));
  return (
    <div class={`govuk-form-group${error ? ' govuk-form-group--error' : ''}`}>
      <fieldset class="govuk-fieldset" aria-describedby="actions-hint">
        <legend class="govuk-fieldset__legend govuk-fieldset__legend--m">
          <h2 class="govuk-fieldset__heading">Evidence for which actions?</h2>
        </legend>
        <div class="govuk-hint" id="actions-hint">
          The check shows these actions are being delivered.
        </div>
        <ErrorMessage error={error} />
        <div class="govuk-checkboxes govuk-checkboxes--small" id="actions" data-module="govuk-checkboxes">
          {shown.map((action) => (
            <div class="govuk-checkboxes__item" key={action.id}>
              <input
                class="govuk-checkboxes__input"
                id={`action-${action.id}`}
                type="checkbox"
                checked={linked.includes(action.id)}
                onChange={(event) => {
                  onChange(event.currentTarget.checked ? [...linked, action.id] : linked.filter((id) => id !== action.id));
                }}
              />
              <label class="govuk-label govuk-checkboxes__label" for={`action-${action.id}`}>
                <strong>{action.ref}</strong> <span class="app-clamp">{action.text}</span>
              </label>
            </div>
          ))}
        </div>
      </fieldset>
      {others.length > 0 && (
        <div class="govuk-form-group govuk-!-margin-top-4 govuk-!-margin-bottom-0">
          <label class="govuk-label" for="add-action">
            Link another action
          </label>
          <select
            class="govuk-select app-select-wide"
            id="add-action"
            value=""
            onChange={(event) => {
              const id = event.currentTarget.value;
              if (id) onChange([...linked, id]);
            }}
          >
            <option value="">Choose an action</option>
            {others.map((a) => (
              <option key={a.id} value={a.id}>
                {a.ref}: {a.text.length > 90 ? `${a.text.slice(0, 90)}…` : a.text}
              </option>
            ))}
          </select>
        </div>
      )}
    </div>
  );
}
