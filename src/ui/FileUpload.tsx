import { described, FieldParts } from './form.tsx';
import { FormGroup } from './FormGroup.tsx';

interface FileUploadProps {
  id: string;
  label: string;
  hint?: string | undefined;
  /** The file types offered in the picker (`accept`). */
  accept: string;
  disabled?: boolean | undefined;
  /** Red-edges the group; the screen says what is wrong in its error summary. */
  invalid?: boolean | undefined;
  onFile: (file: File) => void;
}

/** A GOV.UK file upload: one file, handed over as soon as it is chosen. */
export function FileUpload({ id, label, hint, accept, disabled, invalid, onFile }: FileUploadProps) {
  return (
    <FormGroup error={invalid ? 'invalid' : undefined}>
      <FieldParts id={id} label={label} hint={hint} />
      <input
        class="govuk-file-upload"
        id={id}
        type="file"
        accept={accept}
        aria-describedby={described(id, hint, undefined)}
        disabled={disabled}
        onChange={(event) => {
          const file = event.currentTarget.files?.[0];
          if (file) onFile(file);
        }}
      />
    </FormGroup>
  );
}
