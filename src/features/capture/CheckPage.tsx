import { lazy, useLocation } from 'preact-iso';
import { useCheckView } from '../../data/queries.ts';
import { PageHeading } from '../../ui/PageHeading.tsx';
import { DraftForm } from './DraftForm.tsx';

export { SUBMIT_MEASURE } from './DraftForm.tsx';

// Filling in a check is the capture path and ships in the first bundle; reading one back loads
// when first opened (precached, so offline too).
const SubmittedCheck = lazy(() => import('./SubmittedCheck.tsx').then((m) => m.SubmittedCheck));

export function CheckPage({ id }: { id: string }) {
  const view = useCheckView(id);
  const { query } = useLocation();
  if (view === undefined) return null;
  if (view === null) {
    return (
      <>
        <PageHeading>Check not found</PageHeading>
        <p class="govuk-body">This check is not on this device. It may have been discarded.</p>
      </>
    );
  }
  // Keyed by id: another check's form starts again from that check's answers.
  return view.check.status === 'draft' ? <DraftForm key={id} view={view} /> : <SubmittedCheck view={view} justSubmitted={query.submitted === '1'} />;
}
