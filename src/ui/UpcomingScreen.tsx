import { PageHeading } from './PageHeading.tsx';

interface Props {
  title: string;
  purpose: string;
}

/** A screen on the navigation whose feature has not been built yet: says so plainly. */
export function UpcomingScreen({ title, purpose }: Props) {
  return (
    <>
      <PageHeading>{title}</PageHeading>
      <p class="govuk-body-l">{purpose}</p>
      <div class="govuk-inset-text">This screen is not built yet. It arrives in a later version of Wingcheck.</div>
    </>
  );
}
