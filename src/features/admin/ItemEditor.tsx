import { useState } from 'preact/hooks';
import { ButtonGroup } from '../../ui/ButtonGroup.tsx';
import { Checkbox, CheckboxList } from '../../ui/Checkbox.tsx';
import { Button, TextField } from '../../ui/form.tsx';
import { FormGroup } from '../../ui/FormGroup.tsx';
import { NumberField } from '../../ui/NumberField.tsx';
import { Select } from '../../ui/SelectField.tsx';
import { TextArea } from '../../ui/TextArea.tsx';
import { ITEM_KINDS, KIND_LABELS, type DraftItem, type ItemKind } from './template-editor.ts';

interface ItemEditorProps {
  item: DraftItem;
  position: string;
  first: boolean;
  last: boolean;
  errorFor: (field: string) => string | undefined;
  onChange: (patch: Partial<Omit<DraftItem, 'key' | 'id' | 'kind'>>) => void;
  onMove: ((delta: -1 | 1) => void) | undefined;
  onRemove: (() => void) | undefined;
}

/** One item of a section: its question, hint, limits or options, and whether it must be answered. */
export function ItemEditor({ item, position, first, last, errorFor, onChange, onMove, onRemove }: ItemEditorProps) {
  const id = (field: string) => `${item.key}-${field}`;
  const named = ` ${position.toLowerCase()}${item.question.trim() ? `, “${item.question.trim()}”` : ''}`;
  return (
    // Inset, not a grey panel: the secondary buttons inside stay visible against white.
    <div class="govuk-inset-text" data-testid="editor-item">
      <fieldset class="govuk-fieldset">
        <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">
          {position}: {KIND_LABELS[item.kind]}
        </legend>
        <TextField
          id={id('question')}
          label="Question"
          value={item.question}
          onInput={(question) => { onChange({ question }); }}
          width="full"
          error={errorFor(id('question'))}
        />
        <TextField
          id={id('hint')}
          label="Hint (optional)"
          value={item.hint}
          onInput={(hint) => { onChange({ hint }); }}
          width="full"
          error={errorFor(id('hint'))}
        />
        {item.kind === 'number' && (
          <>
            <TextField
              id={id('unit')}
              label="Unit"
              hint="For example, °C or cells"
              value={item.unit}
              onInput={(unit) => { onChange({ unit }); }}
              width="10"
              error={errorFor(id('unit'))}
            />
            <NumberField
              id={id('min')}
              label="Lowest acceptable reading (optional)"
              hint="Empty: no lower limit. A reading below it counts as a failure."
              value={item.min}
              onInput={(min) => { onChange({ min }); }}
              error={errorFor(id('min'))}
            />
            <NumberField
              id={id('max')}
              label="Highest acceptable reading (optional)"
              hint="Empty: no upper limit. A reading above it counts as a failure."
              value={item.max}
              onInput={(max) => { onChange({ max }); }}
              error={errorFor(id('max'))}
            />
          </>
        )}
        {item.kind === 'choice' && (
          <TextArea
            id={id('options')}
            label="Options, one per line"
            hint="At least 2."
            value={item.options}
            onInput={(options) => { onChange({ options }); }}
            error={errorFor(id('options'))}
          />
        )}
        <FormGroup>
          <CheckboxList>
            <Checkbox
              id={id('required')}
              label="Required: the check cannot be submitted without an answer"
              checked={item.required}
              onChange={(required) => { onChange({ required }); }}
            />
            {item.kind === 'pass-fail' && (
              <Checkbox
                id={id('note')}
                label="A fail needs a note saying what was done"
                checked={item.noteOnFail}
                onChange={(noteOnFail) => { onChange({ noteOnFail }); }}
              />
            )}
            {item.kind === 'yes-no' && (
              <Checkbox
                id={id('note')}
                label="A “No” needs a note saying what was done"
                checked={item.noteOnNo}
                onChange={(noteOnNo) => { onChange({ noteOnNo }); }}
              />
            )}
          </CheckboxList>
        </FormGroup>
      </fieldset>
      {(onMove ?? onRemove) && (
        <ButtonGroup class="govuk-!-margin-bottom-0">
          {onMove && !first && (
            <Button id={id('up')} secondary class="app-table-button" onClick={() => { onMove(-1); }}>
              Move up<span class="govuk-visually-hidden">{named}</span>
            </Button>
          )}
          {onMove && !last && (
            <Button id={id('down')} secondary class="app-table-button" onClick={() => { onMove(1); }}>
              Move down<span class="govuk-visually-hidden">{named}</span>
            </Button>
          )}
          {onRemove && (
            <Button warning class="app-table-button" onClick={onRemove}>
              Remove<span class="govuk-visually-hidden">{named}</span>
            </Button>
          )}
        </ButtonGroup>
      )}
    </div>
  );
}

export function AddItem({ id, sectionNumber, onAdd }: { id: string; sectionNumber: number; onAdd: (kind: ItemKind) => void }) {
  const [kind, setKind] = useState<ItemKind>('pass-fail');
  return (
    <FormGroup>
      <label class="govuk-label" for={id}>
        Kind of item to add to section {sectionNumber}
      </label>
      <ButtonGroup class="govuk-!-margin-bottom-0">
        <Select
          class="govuk-!-margin-right-2"
          id={id}
          value={kind}
          options={ITEM_KINDS.map((k) => ({ value: k.kind, label: k.label }))}
          onChange={(value) => {
            const chosen = ITEM_KINDS.find((k) => k.kind === value);
            if (chosen) setKind(chosen.kind);
          }}
        />
        <Button secondary onClick={() => { onAdd(kind); }}>
          Add item<span class="govuk-visually-hidden"> to section {sectionNumber}</span>
        </Button>
      </ButtonGroup>
    </FormGroup>
  );
}
