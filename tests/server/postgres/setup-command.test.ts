// PostgreSQL only: the set-up command works while servers run (PostgreSQL arbitrates; there is no
// data-folder lock), and what it makes is at once usable through a running server.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../support/ports.ts';
import { createTestDatabase } from '../support/test-db.ts';
import { spawnServer } from '../support/spawn-server.ts';
import { client, wingcheckIn } from '../support/wingcheck-cli.ts';

describe('the set-up command on postgres', () => {
  it('creates an establishment while a server runs, and its admin signs in through that server', async () => {
    const database = await createTestDatabase();
    if (!database.url) throw new Error('this suite needs PostgreSQL');
    const dataDir = await mkdtemp(path.join(tmpdir(), 'wingcheck-setup-pg-'));
    const port = await freePort();
    const env = { NODE_ENV: 'production', DATABASE_URL: database.url, WINGCHECK_DATA_DIR: dataDir };
    const run = spawnServer({ ...env, PORT: String(port) });
    try {
      expect(await run.ready, run.stderr()).toEqual({ running: true, code: null });
      const made = await wingcheckIn(env, 'create-establishment', '--name', 'HMP Northern', '--time-zone', 'Europe/London',
        '--admin-username', 'pat.admin', '--admin-name', 'Pat Admin');
      expect(made.code, made.stderr).toBe(0);
      const { admin } = JSON.parse(made.stdout) as { admin: { username: string; oneTimePassword: string } };

      const pat = client(`http://127.0.0.1:${port}`);
      const signedIn = await pat('POST', '/api/session', { username: 'pat.admin', password: admin.oneTimePassword });
      expect(signedIn.status).toBe(200);
      expect(signedIn.json).toMatchObject({ mustChangePassword: true, establishment: { name: 'HMP Northern' } });

      const listed = await wingcheckIn(env, 'list-establishments');
      expect((JSON.parse(listed.stdout) as { establishments: { name: string }[] }).establishments.map((e) => e.name)).toEqual(['HMP Northern']);
    } finally {
      await run.stop();
      await rm(dataDir, { recursive: true, force: true });
      await database.drop();
    }
  }, 120_000);
});
