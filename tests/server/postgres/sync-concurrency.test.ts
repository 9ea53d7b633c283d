// PostgreSQL only: two server processes on one database, many tablets pushing at once, and a
// device pulling the whole time. The pull must see every check exactly once, in seq order.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifyAudit } from '../../../server/src/audit.ts';
import { openPostgres } from '../../../server/src/db/client.ts';
import { CSRF_HEADER } from '../../../src/shared/auth.ts';
import { PullResponse, PushResponse } from '../../../src/shared/api/sync.ts';
import { PROTOCOL_VERSION } from '../../../src/shared/mutations.ts';
import { freePort } from '../../support/ports.ts';
import { checkMutation, seedDemoOn } from '../support/evidence.ts';
import { signInOverHttp, spawnServer, type ServerRun } from '../support/spawn-server.ts';
import { createTestDatabase } from '../support/test-db.ts';

const TABLETS = 8;
const BATCHES = 5;
const PER_BATCH = 4;

describe('sync with two server processes on one PostgreSQL', () => {
  it('a device pulling throughout concurrent pushes from many tablets misses nothing and sees nothing twice', async () => {
    const database = await createTestDatabase();
    if (!database.url) throw new Error('this suite needs PostgreSQL');
    const url = database.url;
    const dataDir = await mkdtemp(path.join(tmpdir(), 'wingcheck-sync-'));
    const servers: ServerRun[] = [];
    try {
      const refs = await seedDemoOn(url);

      const bases: string[] = [];
      for (let i = 0; i < 2; i += 1) {
        const port = await freePort();
        // One blob folder for both, as one object store would be.
        const run = spawnServer({ PORT: String(port), DATABASE_URL: url, WINGCHECK_DATA_DIR: dataDir });
        servers.push(run);
        expect(await run.ready, run.stderr()).toEqual({ running: true, code: null });
        bases.push(`http://127.0.0.1:${port}`);
      }

      const pushed = new Set<string>();
      const state = { pushing: true };
      const tablets = Array.from({ length: TABLETS }, async (_, tablet) => {
        const client = await signInOverHttp(bases[tablet % 2] ?? '', ['so.demo', 'dg.demo', 'hor.demo'][tablet % 3] ?? 'so.demo');
        const clientId = `tablet-${tablet}`;
        let seq = 0;
        for (let batch = 0; batch < BATCHES; batch += 1) {
          const mutations = Array.from({ length: PER_BATCH }, () => checkMutation(refs, clientId, (seq += 1)));
          const res = await fetch(`${client.base}/api/sync/push`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'cookie': client.cookie, [CSRF_HEADER]: client.csrf },
            body: JSON.stringify({ clientId, protocol: PROTOCOL_VERSION, mutations }),
          });
          expect(res.status).toBe(200);
          const { results } = PushResponse.parse(await res.json());
          expect(results.map((r) => r.status)).toEqual(mutations.map(() => 'applied'));
          for (const m of mutations) pushed.add(m.payload.checkId);
        }
      });

      const puller = (async () => {
        const client = await signInOverHttp(bases[1] ?? '', 'hor.demo');
        const seen: string[] = [];
        const seqs: bigint[] = [];
        let cursor = '0';
        for (;;) {
          const finalPass = !state.pushing;
          const res = await fetch(`${client.base}/api/sync/pull?cursor=${cursor}&limit=7`, { headers: { cookie: client.cookie } });
          const page = PullResponse.parse(await res.json());
          for (const change of page.changes) {
            seqs.push(BigInt(change.seq));
            if (change.entity === 'check') seen.push(change.id);
          }
          cursor = page.cursor;
          if (!page.hasMore && finalPass) return { seen, seqs };
        }
      })();

      await Promise.all(tablets);
      state.pushing = false;
      const { seen, seqs } = await puller;
      expect(pushed.size).toBe(TABLETS * BATCHES * PER_BATCH);
      expect(new Set(seen).size).toBe(seen.length);
      expect(new Set(seen)).toEqual(pushed);
      // Gapless and in order: nothing was skipped, nothing came twice.
      expect(seqs).toEqual(seqs.map((_, i) => (seqs[0] ?? 0n) + BigInt(i)));
      // Both processes appended to one audit chain a push at a time: it is still whole.
      const after = await openPostgres(url, { max: 1 });
      try {
        expect(await verifyAudit(after, refs.establishmentId)).toMatchObject({ ok: true });
      } finally {
        await after.close();
      }
    } finally {
      await Promise.all(servers.map((s) => s.stop()));
      await rm(dataDir, { recursive: true, force: true });
      await database.drop();
    }
  });
});
