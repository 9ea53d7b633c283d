/**
 * Timing one GET route of the real app (buildApp + inject, no network), signed in as the seeded
 * head of residence, on the embedded PGlite and on a throwaway PostgreSQL cluster.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../server/src/app.ts';
import { DirectoryBlobStore } from '../../server/src/blobs.ts';
import { openPglite, openPostgres, type Db } from '../../server/src/db/client.ts';
import { SessionInfo } from '../../src/shared/auth.ts';
import { startPostgresCluster } from '../../tests/support/postgres-cluster.ts';
import { median } from './report.ts';
import { SEED_PASSWORD, SEED_USERNAME } from './seed.ts';

/** Timed runs after the warm-up. */
export const RUNS = 5;

export interface RouteTiming {
  medianMs: number;
  bestMs: number;
  /** Size of the JSON answer. */
  bytes: number;
  /** The warm-up's answer, to check and describe, and how long it took. */
  first: LightMyRequestResponse;
  firstMs: number;
}

/**
 * Signs in, calls `url` once to warm up (query plans, JIT) and then RUNS times, timing each.
 * `now` is the app's clock: sessions and anything "so far" are reckoned from it.
 */
export async function timeRoute(db: Db, url: string, now: Date): Promise<RouteTiming> {
  const blobDir = mkdtempSync(path.join(tmpdir(), 'wingcheck-bench-route-'));
  const app = await buildApp({ db, blobs: new DirectoryBlobStore(blobDir), clock: { now: () => now } });
  try {
    const signIn = await app.inject({ method: 'POST', url: '/api/session', payload: { username: SEED_USERNAME, password: SEED_PASSWORD } });
    SessionInfo.parse(signIn.json());
    const cookie = signIn.cookies.find((c) => c.name === 'wingcheck_session');
    if (!cookie) throw new Error('no session');
    const get = async () => {
      const res = await app.inject({ method: 'GET', url, headers: { cookie: `${cookie.name}=${cookie.value}` } });
      if (res.statusCode !== 200) throw new Error(`${url} answered ${res.statusCode}: ${res.body.slice(0, 200)}`);
      return res;
    };
    const warmUp = performance.now();
    const first = await get();
    const firstMs = performance.now() - warmUp;
    const times: number[] = [];
    for (let i = 0; i < RUNS; i += 1) {
      const started = performance.now();
      await get();
      times.push(performance.now() - started);
    }
    return { medianMs: median(times), bestMs: Math.min(...times), bytes: first.rawPayload.length, first, firstMs };
  } finally {
    await app.close();
    rmSync(blobDir, { recursive: true, force: true });
  }
}

/** "median 812 ms, best 790 ms over 5 runs; answer 1.2 MB" */
export function describeTiming(timing: RouteTiming): string {
  const kb = timing.bytes / 1024;
  const size = kb >= 1024 ? `${(kb / 1024).toFixed(1)} MB` : `${kb.toFixed(0)} KB`;
  return `median ${timing.medianMs.toFixed(0)} ms, best ${timing.bestMs.toFixed(0)} ms over ${RUNS} runs (after a warm-up); answer ${size}`;
}

export interface EngineRun<T> {
  /** "PGlite" or "PostgreSQL 15.14". */
  label: string;
  result: T;
}

/**
 * Runs `bench` on a fresh in-memory PGlite, then on a fresh throwaway PostgreSQL cluster (stopped
 * and deleted afterwards), one after the other so neither slows the other.
 */
export async function onBothEngines<T>(
  bench: (db: Db, label: string) => Promise<T>,
): Promise<{ pglite: EngineRun<T>; postgres: EngineRun<T> }> {
  const run = async (db: Db, label: (db: Db) => Promise<string>): Promise<EngineRun<T>> => {
    try {
      const name = await label(db);
      return { label: name, result: await bench(db, name) };
    } finally {
      await db.close();
    }
  };
  const pglite = await run(await openPglite(), () => Promise.resolve('PGlite'));
  const cluster = await startPostgresCluster();
  try {
    const postgres = await run(await openPostgres(cluster.adminUrl), async (db) => {
      const [row] = await db.query<{ server_version: string }>('SHOW server_version');
      return `PostgreSQL ${row?.server_version.split(' ')[0] ?? ''}`.trim();
    });
    return { pglite, postgres };
  } finally {
    cluster.stop();
  }
}
