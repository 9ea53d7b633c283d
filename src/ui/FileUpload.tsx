import { described, FieldParts } from './form.tsx';
import { FormGroup } from './FormGroup.tsx';

interface FileInputProps {
  id: string;
  /** The file types offered in the picker (`accept`). */
  accept: string;
  describedBy?: string | undefined;
  disabled?: boolean | undefined;
  /** Several at once, each handed over; the picker is then emptied so the same file can be chosen again. */
  multiple?: boolean;
  /** Opens the rear camera on a tablet, where the browser offers it. */
  camera?: boolean;
  onFiles: (files: File[]) => void;
}

/** The GOV.UK file input on its own, for a field that lays out its own label (the photo field). */
export function FileInput({ id, accept, describedBy, disabled, multiple, camera, onFiles }: FileInputProps) {
  return (
    <input
      class="govuk-file-upload"
      id={id}
      type="file"
      accept={accept}
      capture={camera ? 'environment' : undefined}
      multiple={multiple}
      aria-describedby={describedBy}
      disabled={disabled}
      onChange={(event) => {
        const input = event.currentTarget;
        const files = [...(input.files ?? [])];
        if (multiple) input.value = '';
        if (files.length) onFiles(files);
      }}
    />
  );
}

interface FileUploadProps {
  id: string;
  label: string;
  hint?: string | undefined;
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
      <FileInput
        id={id}
        accept={accept}
        describedBy={described(id, hint, undefined)}
        disabled={disabled}
        onFiles={([file]) => {
          if (file) onFile(file);
        }}
      />
    </FormGroup>
  );
}
