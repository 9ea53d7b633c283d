import { ErrorBoundary, lazy, LocationProvider, Route, Router } from 'preact-iso';
import { TodayPage } from '../features/today/TodayPage.tsx';
import { UpcomingScreen } from '../ui/UpcomingScreen.tsx';
import { Layout } from './Layout.tsx';
import { NotFoundPage } from './NotFoundPage.tsx';

// Today is the capture path and ships in the first bundle; the rest load when first opened
// (and are precached by the service worker, so that works offline too).
const DevicePage = lazy(() => import('../features/device/DevicePage.tsx').then((m) => m.DevicePage));

/** Screens on the navigation whose features are still to come: each says so, and what it will do. */
const UPCOMING_SCREENS = [
  {
    path: '/actions',
    title: 'Actions',
    purpose: 'The actions assigned to you, with their owners and target dates, and the evidence recorded for each.',
  },
  { path: '/review', title: 'Review evidence', purpose: 'Evidence for each action, to accept or return with a reason.' },
  {
    path: '/coverage',
    title: 'Coverage',
    purpose: 'Recurring checks expected and recorded, per unit and day, and where they were missed.',
  },
  {
    path: '/plans',
    title: 'Action plans',
    purpose: 'Import a published action plan, check the preview and correct it before confirming.',
  },
  {
    path: '/sync',
    title: 'Sync',
    purpose: 'Everything waiting to be sent from this device, what is sending, and what needs attention.',
  },
].map((screen) => ({ ...screen, component: () => <UpcomingScreen title={screen.title} purpose={screen.purpose} /> }));

export function App() {
  return (
    <LocationProvider>
      <ErrorBoundary>
        <Layout>
          <Router>
            <Route path="/" component={TodayPage} />
            {UPCOMING_SCREENS.map((screen) => (
              <Route key={screen.path} path={screen.path} component={screen.component} />
            ))}
            <Route path="/device" component={DevicePage} />
            <Route default component={NotFoundPage} />
          </Router>
        </Layout>
      </ErrorBoundary>
    </LocationProvider>
  );
}
