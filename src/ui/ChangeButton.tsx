/** "Change" in a table row, with the row's name for screen readers. */
export function ChangeButton({ name, onClick }: { name: string; onClick: () => void }) {
  return (
    <button type="button" class="govuk-button govuk-button--secondary app-table-button" onClick={onClick}>
      Change<span class="govuk-visually-hidden"> {name}</span>
    </button>
  );
}
