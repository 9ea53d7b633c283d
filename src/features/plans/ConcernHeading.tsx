interface Props {
  id?: string;
  ref: string;
  category: string | null;
  agreement: string | null;
  concern: string | null;
  recommendation: string | null;
}

/** A concern or recommendation as the plan prints it: ref, category, agreement and its text. */
export function ConcernHeading({ id, ref, category, agreement, concern, recommendation }: Props) {
  return (
    <>
      <h2 class="govuk-heading-s" id={id}>
        {ref} · {category ?? 'No category'}
        {agreement ? ` · ${agreement}` : ''}
      </h2>
      {concern && <p class="govuk-body">{concern}</p>}
      {recommendation && <p class="govuk-body">{recommendation}</p>}
    </>
  );
}
