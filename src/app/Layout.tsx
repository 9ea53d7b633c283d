import type { ComponentChildren } from 'preact';
import { useLocation } from 'preact-iso';
import { useWaitingCount } from '../data/outbox.ts';
import type { StoredSession } from '../data/session.ts';
import { ServiceNavigation } from '../ui/ServiceNavigation.tsx';
import { StatusBar } from '../ui/StatusBar.tsx';
import { navItemsFor } from './nav.ts';
import { UpdatePrompt } from './UpdatePrompt.tsx';
import { useOnline } from './useOnline.ts';

export function Layout({ session, children }: { session: StoredSession | null; children: ComponentChildren }) {
  const { path } = useLocation();
  const online = useOnline();
  const waiting = useWaitingCount();
  const person = session ? { name: session.info.user.displayName, establishment: session.info.establishment.name } : undefined;
  return (
    <>
      <a href="#main-content" class="govuk-skip-link">
        Skip to main content
      </a>
      <header class="app-header">
        <ServiceNavigation serviceName="Wingcheck" items={session ? navItemsFor(session.info.roles) : []} currentPath={path} />
        <StatusBar online={online} waiting={waiting} person={person} />
      </header>
      <div class="govuk-width-container">
        <main class="govuk-main-wrapper" id="main-content" tabIndex={-1}>
          <UpdatePrompt />
          {children}
        </main>
      </div>
    </>
  );
}
