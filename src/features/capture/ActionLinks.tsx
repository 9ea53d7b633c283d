import { useSession } from '../../api/sessionContext.ts';
import { useAllActions, useAssignedActions } from '../../data/queries.ts';
import { Checkbox, CheckboxList } from '../../ui/Checkbox.tsx';
import { Fieldset } from '../../ui/Fieldset.tsx';
import { SelectField } from '../../ui/SelectField.tsx';

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
    <Fieldset
      id="actions"
      legend="Evidence for which actions?"
      legendSize="m"
      heading
      hint="The check shows these actions are being delivered."
      error={error}
      after={
        others.length > 0 && (
          <SelectField
            id="add-action"
            label="Link another action"
            class="govuk-!-margin-top-4 govuk-!-margin-bottom-0"
            selectClass="app-select-wide"
            empty="Choose an action"
            value=""
            options={others.map((a) => ({ value: a.id, label: `${a.ref}: ${a.text.length > 90 ? `${a.text.slice(0, 90)}…` : a.text}` }))}
            onChange={(id) => {
              if (id) onChange([...linked, id]);
            }}
          />
        )
      }
    >
      <CheckboxList id="actions">
        {shown.map((action) => (
          <Checkbox
            key={action.id}
            id={`action-${action.id}`}
            label={(
              <>
                <strong>{action.ref}</strong> <span class="app-clamp">{action.text}</span>
              </>
            )}
            checked={linked.includes(action.id)}
            onChange={(checked) => {
              onChange(checked ? [...linked, action.id] : linked.filter((id) => id !== action.id));
            }}
          />
        ))}
      </CheckboxList>
    </Fieldset>
  );
}
