import './shared/zod-csp.ts';
import './styles/main.scss';
import { render } from 'preact';
import { App } from './app/App.tsx';
import { registerServiceWorker } from './api/serviceWorker.ts';
import { upgradeStoredSession } from './data/session-store.ts';
import { requestPersistentStorage } from './data/storage.ts';

// GOV.UK Frontend styles some components differently once JavaScript runs; its template sets
// these with an inline script, which our Content-Security-Policy does not allow.
document.body.classList.add('js-enabled', 'govuk-frontend-supported');

const root = document.getElementById('app');
if (!root) throw new Error('index.html has no #app element');
// Usually one read of the device's store; after an update that changed the session's shape, it
// re-checks the stored session first so the app does not open to the sign-in screen.
upgradeStoredSession()
  .catch((error: unknown) => {
    console.error('could not check the stored session', error);
  })
  .finally(() => {
    render(<App />, root);
    registerServiceWorker().catch((error: unknown) => {
      console.error('could not register the service worker', error);
    });
  });

// Ask early, before evidence piles up, that the browser keep our data under storage pressure.
requestPersistentStorage().catch((error: unknown) => {
  console.warn('could not request persistent storage', error);
});
