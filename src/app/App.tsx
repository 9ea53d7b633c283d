import { ErrorBoundary, lazy, LocationProvider, Route, Router } from 'preact-iso';
import { TodayPage } from '../features/today/TodayPage.tsx';
import { Layout } from './Layout.tsx';
import { NotFoundPage } from './NotFoundPage.tsx';
import { UpcomingScreen } from '../ui/UpcomingScreen.tsx';

// Today is the capture path and ships in the first bundle; the rest load when first opened
// (and are precached by the service worker, so that works offline too).
const DevicePage = lazy(() => import('../features/device/DevicePage.tsx').then((m) => m.DevicePage));

const upcoming = (title: string, purpose: string) => () => <UpcomingScreen title={title} purpose={purpose} />;

export function App() {
  return (
    <LocationProvider>
      <ErrorBoundary>
        <Layout>
          <Router>
            <Route path="/" component={TodayPage} />
            <Route
              path="/actions"
              component={upcoming('Actions', 'The actions assigned to you, with their owners and target dates, and the evidence recorded for each.')}
            />
            <Route
              path="/review"
              component={upcoming('Review evidence', 'Evidence for each action, to accept or return with a reason.')}
            />
            <Route
              path="/coverage"
              component={upcoming('Coverage', 'Recurring checks expected and recorded, per unit and day, and where they were missed.')}
            />
            <Route
              path="/plans"
              component={upcoming('Action plans', 'Import a published action plan, check the preview and correct it before confirming.')}
            />
            <Route
              path="/sync"
              component={upcoming('Sync', 'Everything waiting to be sent from this device, what is sending, and what needs attention.')}
            />
            <Route path="/device" component={DevicePage} />
            <Route default component={NotFoundPage} />
          </Router>
        </Layout>
      </ErrorBoundary>
    </LocationProvider>
  );
}
