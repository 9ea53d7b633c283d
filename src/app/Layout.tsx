import type { ComponentChildren } from 'preact';
import { useLocation } from 'preact-iso';
import { useAttentionCount, useLastSync, useWaitingCount } from '../data/outbox.ts';
import type { StoredSession } from '../data/session.ts';
import { ServiceNavigation } from '../ui/ServiceNavigation.tsx';
import { formatBytes } from '../shared/format.ts';
import { StatusBar, type SyncState } from '../ui/StatusBar.tsx';
import { navItemsFor } from './nav.ts';
import { UpdatePrompt } from './UpdatePrompt.tsx';
import { useOnline } from '../api/useOnline.ts';
import { useSyncProgress } from '../api/useSync.ts';

/** The status bar's words for sync: progress through photos by bytes while sending, else when all was last sent. */
function useSyncState(): SyncState {
  const progress = useSyncProgress();
  const last = useLastSync();
  if (progress) {
    const text = progress.phase === 'uploading' && progress.bytesTotal > 0
      ? `Sending photos: ${formatBytes(progress.bytesSent)} of ${formatBytes(progress.bytesTotal)}`
      : progress.phase === 'pulling' ? 'Fetching updates…' : 'Sending…';
    return { state: 'sending', text };
  }
  if (last?.outcome.kind === 'done') {
    return { state: 'sent', at: new Date(last.at).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' }) };
  }
  return { state: 'idle' };
}

export function Layout({ session, children }: { session: StoredSession | null; children: ComponentChildren }) {
  const { path } = useLocation();
  const online = useOnline();
  const waiting = useWaitingCount();
  const attention = useAttentionCount() ?? 0;
  const sync = useSyncState();
  const info = session?.info;
  const several = (info?.establishments.length ?? 0) > 1;
  const person = info && { name: info.user.displayName, establishment: info.establishment.name, several };
  return (
    <>
      <a href="#main-content" class="govuk-skip-link">
        Skip to main content
      </a>
      <header class="app-header">
        <ServiceNavigation serviceName="Wingcheck" items={session ? navItemsFor(session.info.roles) : []} currentPath={path} />
        <StatusBar online={online} waiting={waiting} person={person} sync={session ? sync : undefined} attention={attention} />
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
