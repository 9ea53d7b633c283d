import './styles/main.scss';
import { render } from 'preact';
import { App } from './app/App.tsx';
import { registerServiceWorker } from './app/serviceWorker.ts';
import { requestPersistentStorage } from './data/storage.ts';

// GOV.UK Frontend styles some components differently once JavaScript runs; its template sets
// these with an inline script, which our Content-Security-Policy does not allow.
document.body.classList.add('js-enabled', 'govuk-frontend-supported');

const root = document.getElementById('app');
if (!root) throw new Error('index.html has no #app element');
render(<App />, root);
registerServiceWorker();

// Ask early, before evidence piles up, that the browser keep our data under storage pressure.
requestPersistentStorage().catch((error: unknown) => {
  console.warn('could not request persistent storage', error);
});
