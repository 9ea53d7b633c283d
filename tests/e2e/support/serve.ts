// The server for the e2e suite: the real one, on a fresh embedded database in a temp folder.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

if (!existsSync(new URL('../../../dist/index.html', import.meta.url))) {
  console.error('dist/ is missing: run `npm run build` before the e2e tests');
  process.exit(1);
}
const dataDir = mkdtempSync(path.join(tmpdir(), 'wingcheck-e2e-'));
process.env.WINGCHECK_DATA_DIR = dataDir;
process.on('exit', () => {
  rmSync(dataDir, { recursive: true, force: true });
});
await import('../../../server/src/index.ts');
