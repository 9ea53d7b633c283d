interface CellFieldProps {
  id: string;
  /** Read by screen readers only: the column heading says it to everyone else. */
  label: string;
  value: string;
  onInput: (value: string) => void;
  /** A textarea of this many rows, for longer text; a one-line input without it. */
  rows?: number;
  /** Red-edged: a value that needs the person's attention (a blank owner, say). */
  invalid?: boolean;
  class?: string;
}

/** A GOV.UK input or textarea inside a table cell, labelled for screen readers by its column. */
export function CellField({ id, label, value, onInput, rows, invalid, class: extra }: CellFieldProps) {
  const onChange = (event: Event) => {
    onInput((event.currentTarget as HTMLInputElement | HTMLTextAreaElement).value);
  };
  const kind = rows ? 'govuk-textarea' : 'govuk-input';
  const classes = `${kind}${invalid ? ` ${kind}--error` : ''}${extra ? ` ${extra}` : ''}`;
  return (
    <>
      <label class="govuk-visually-hidden" for={id}>
        {label}
      </label>
      {rows ? (
        <textarea class={classes} id={id} rows={rows} value={value} onInput={onChange} />
      ) : (
        <input class={classes} id={id} value={value} onInput={onChange} />
      )}
    </>
  );
}
