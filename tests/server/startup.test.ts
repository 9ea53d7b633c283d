// The real server process, as `npm start` runs it, on the suite's engine.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HealthResponse } from '../../src/shared/api/health.ts';
import { freePort } from '../support/ports.ts';
import { spawnServer } from './support/spawn-server.ts';
import { createTestDatabase, TEST_ENGINE, type TestDatabase } from './support/test-db.ts';

describe(`npm start's server on ${TEST_ENGINE}`, () => {
  let dataDir: string;
  let database: TestDatabase;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'wingcheck-start-'));
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  async function startAndCheck(): Promise<string> {
    const port = await freePort();
    const run = spawnServer({
      PORT: String(port),
      WINGCHECK_DATA_DIR: dataDir,
      ...(database.url ? { DATABASE_URL: database.url } : {}),
    });
    try {
      const result = await run.ready;
      expect(result, run.stderr()).toEqual({ running: true, code: null });
      expect(run.stdout()).toContain(`Wingcheck is running at http://localhost:${port}`);
      const res = await fetch(`http://127.0.0.1:${port}/api/health`);
      expect(res.status).toBe(200);
      expect(HealthResponse.parse(await res.json()).db).toBe(TEST_ENGINE);
      return run.stdout();
    } finally {
      await run.stop();
    }
  }

  it('migrates, serves /api/health, and starts again on the same data without re-migrating', async () => {
    const first = await startAndCheck();
    const second = await startAndCheck();
    if (TEST_ENGINE === 'pglite') {
      // The demo is made once, on the first start of an empty embedded database.
      expect(first).toContain('demo data created');
      expect(second).not.toContain('demo data created');
    } else {
      expect(first).not.toContain('demo data created');
    }
  });
});
