// A plan reader process starts here. It is started without the parent's flags (so without tsx's
// loader), so this plain module registers tsx before loading the TypeScript.
import { register } from 'tsx/esm/api';

register();
await import('./plan-worker.ts');
