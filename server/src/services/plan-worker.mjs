// The plan reader's worker thread starts here. A worker does not inherit tsx's loader from the
// thread that starts it (Node 20), so this plain module registers tsx before loading the TypeScript.
import { register } from 'tsx/esm/api';

register();
await import('./plan-worker.ts');
