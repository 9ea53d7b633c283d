import { useEffect } from 'preact/hooks';
import { ErrorBoundary, lazy, LocationProvider, Route, Router, useLocation } from 'preact-iso';
import { useWaitingCount } from '../data/outbox.ts';
import { useStoredSession, type StoredSession } from '../data/session.ts';
import { CheckPage } from '../features/capture/CheckPage.tsx';
import { StartCheckPage } from '../features/capture/StartCheckPage.tsx';
import { TodayPage } from '../features/today/TodayPage.tsx';
import { Layout } from './Layout.tsx';
import { hasAnyRole } from '../shared/roles.ts';
import { mayOpen } from './nav.ts';
import { NotFoundPage } from '../ui/NotFoundPage.tsx';
import { refreshReference, refreshReviewReadings, refreshSession } from '../api/lazy.ts';
import { SessionContext } from '../api/sessionContext.ts';
import { useOnline } from '../api/useOnline.ts';
import { useSyncTriggers } from '../api/useSync.ts';

// Today and running a check are the capture path and ship in the first bundle; the rest load when first opened
// (and are precached by the service worker, so that works offline too).
// Signing in is once per shift, not the capture path: it loads (with zod) when needed.
const SignInPage = lazy(() => import('../features/session/SignInPage.tsx').then((m) => m.SignInPage));
const SessionEndedBanner = lazy(() => import('../features/session/SessionEndedBanner.tsx').then((m) => m.SessionEndedBanner));
const SyncPage = lazy(() => import('../features/sync/SyncPage.tsx').then((m) => m.SyncPage));
const DevicePage = lazy(() => import('../features/device/DevicePage.tsx').then((m) => m.DevicePage));
const EstablishmentPage = lazy(() => import('../features/session/EstablishmentPage.tsx').then((m) => m.EstablishmentPage));
const SignOutPage = lazy(() => import('../features/session/SignOutPage.tsx').then((m) => m.SignOutPage));
// The admin screens route among themselves, in their own chunk.
const AdminRoutes = lazy(() => import('../features/admin/AdminRoutes.tsx').then((m) => m.AdminRoutes));
const PlansPage = lazy(() => import('../features/plans/PlansPage.tsx').then((m) => m.PlansPage));
const PlanPage = lazy(() => import('../features/plans/PlanPage.tsx').then((m) => m.PlanPage));
const ReviewPage = lazy(() => import('../features/review/ReviewPage.tsx').then((m) => m.ReviewPage));
const ActionReviewPage = lazy(() => import('../features/review/ActionReviewPage.tsx').then((m) => m.ActionReviewPage));
const ExportPage = lazy(() => import('../features/review/ExportPage.tsx').then((m) => m.ExportPage));
const AssignPage = lazy(() => import('../features/plans/AssignPage.tsx').then((m) => m.AssignPage));
const CoveragePage = lazy(() => import('../features/coverage/CoveragePage.tsx').then((m) => m.CoveragePage));
const ActionsPage = lazy(() => import('../features/actions/ActionsPage.tsx').then((m) => m.ActionsPage));
const ExplainGapPage = lazy(() => import('../features/gaps/ExplainGapPage.tsx').then((m) => m.ExplainGapPage));
const ActionPage = lazy(() => import('../features/actions/ActionPage.tsx').then((m) => m.ActionPage));

/** The old "Record evidence" address: the action's page now offers a check or a note, and starts nothing by itself. */
function RecordEvidenceRedirect({ id }: { id: string }) {
  const { route } = useLocation();
  useEffect(() => {
    route(`/actions/${id}`, true);
  }, [id]);
  return null;
}

function SignedInApp({ session }: { session: StoredSession }) {
  const { path } = useLocation();
  const online = useOnline();
  const here = session.info.establishment.id;
  useSyncTriggers(useWaitingCount(), session.expired, here);
  // Whenever a connection appears, or the person changes establishment: pick up role changes and
  // that establishment's reference data, or learn that the session has ended.
  useEffect(() => {
    if (online) {
      refreshSession()
        .then(refreshReference)
        .catch((error: unknown) => {
          console.error('could not refresh the session and reference data', error);
        });
    }
  }, [online, here]);
  // The head of residence reviews on the wing too: keep the review screens readable offline.
  const reviews = hasAnyRole(session.info.roles, ['head-of-residence']);
  const timeZone = session.info.establishment.timeZone;
  useEffect(() => {
    if (!online || !reviews || session.expired) return;
    const refresh = () => {
      refreshReviewReadings(here, timeZone).catch((error: unknown) => {
        console.warn('could not fetch the review screens ahead', error);
      });
    };
    refresh();
    const timer = setInterval(refresh, 5 * 60 * 1000);
    return () => {
      clearInterval(timer);
    };
  }, [online, reviews, here, timeZone, session.expired]);
  return (
    <SessionContext.Provider value={session}>
      <Layout session={session}>
        {session.expired && <SessionEndedBanner session={session} />}
        {mayOpen(path, session.info.roles) ? (
          <Router>
            <Route path="/" component={TodayPage} />
            <Route path="/actions" component={ActionsPage} />
            <Route path="/actions/:id" component={ActionPage} />
            <Route path="/checks/new" component={StartCheckPage} />
            <Route path="/checks/:id" component={CheckPage} />
            <Route path="/gaps/explain" component={ExplainGapPage} />
            <Route path="/actions/:id/evidence" component={RecordEvidenceRedirect} />
            <Route path="/plans" component={PlansPage} />
            <Route path="/plans/:id" component={PlanPage} />
            <Route path="/plans/:id/assign" component={AssignPage} />
            <Route path="/admin" component={AdminRoutes} />
            <Route path="/admin/*" component={AdminRoutes} />
            <Route path="/review" component={ReviewPage} />
            <Route path="/review/actions/:id" component={ActionReviewPage} />
            <Route path="/review/export" component={ExportPage} />
            <Route path="/coverage" component={CoveragePage} />
            <Route path="/sync" component={SyncPage} />
            <Route path="/device" component={DevicePage} />
            <Route path="/establishment" component={EstablishmentPage} />
            <Route path="/sign-out" component={SignOutPage} />
            <Route default component={NotFoundPage} />
          </Router>
        ) : (
          <NotFoundPage />
        )}
      </Layout>
    </SessionContext.Provider>
  );
}

function Root() {
  const session = useStoredSession();
  if (session === null) return null; // reading the device's store: a few milliseconds
  // Signed out, or signed in with a one-time password that must be replaced before anything else
  // (the server refuses everything else too): the sign-in module's screens, loaded when needed.
  if (session === false || session.info.mustChangePassword) {
    return (
      <Layout session={null}>
        <SignInPage changingPasswordOf={session ? session.info.user.displayName : undefined} />
      </Layout>
    );
  }
  return <SignedInApp session={session} />;
}

export function App() {
  return (
    <LocationProvider>
      <ErrorBoundary>
        <Root />
      </ErrorBoundary>
    </LocationProvider>
  );
}
