import type { ComponentChildren } from 'preact';
import { useLocation } from 'preact-iso';
import { useWaitingCount } from '../data/outbox.ts';
import { ServiceNavigation } from '../ui/ServiceNavigation.tsx';
import { StatusBar } from '../ui/StatusBar.tsx';
import { NAV_ITEMS } from './nav.ts';
import { UpdatePrompt } from './UpdatePrompt.tsx';
import { useOnline } from './useOnline.ts';

export function Layout({ children }: { children: ComponentChildren }) {
  const { path } = useLocation();
  const online = useOnline();
  const waiting = useWaitingCount();
  return (
    <>
      <a href="#main-content" class="govuk-skip-link">
        Skip to main content
      </a>
      <header class="app-header">
        <ServiceNavigation serviceName="Wingcheck" items={NAV_ITEMS} currentPath={path} />
        <StatusBar online={online} waiting={waiting} />
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
