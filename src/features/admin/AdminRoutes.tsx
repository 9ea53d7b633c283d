import { lazy, Route, Router } from 'preact-iso';
import { NotFoundPage } from '../../ui/NotFoundPage.tsx';
import { AdminPage } from './AdminPage.tsx';

const UsersPage = lazy(() => import('./UsersPage.tsx').then((m) => m.UsersPage));
const UnitsPage = lazy(() => import('./UnitsPage.tsx').then((m) => m.UnitsPage));
const AuditPage = lazy(() => import('./AuditPage.tsx').then((m) => m.AuditPage));
const TemplatesPage = lazy(() => import('./TemplatesPage.tsx').then((m) => m.TemplatesPage));
const TemplatePage = lazy(() => import('./TemplatePage.tsx').then((m) => m.TemplatePage));
const SchedulesPage = lazy(() => import('./SchedulesPage.tsx').then((m) => m.SchedulesPage));
const RetentionPage = lazy(() => import('./RetentionPage.tsx').then((m) => m.RetentionPage));

/** Everything under /admin: the admin index and its screens, each loaded when first opened. */
export function AdminRoutes() {
  return (
    <Router>
      <Route path="/" component={AdminPage} />
      <Route path="/users" component={UsersPage} />
      <Route path="/units" component={UnitsPage} />
      <Route path="/audit" component={AuditPage} />
      <Route path="/templates" component={TemplatesPage} />
      <Route path="/templates/:id" component={TemplatePage} />
      <Route path="/schedules" component={SchedulesPage} />
      <Route path="/retention" component={RetentionPage} />
      <Route default component={NotFoundPage} />
    </Router>
  );
}
