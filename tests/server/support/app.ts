import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp, type AppOptions } from '../../../server/src/app.ts';
import { DirectoryBlobStore } from '../../../server/src/blobs.ts';
import type { Clock } from '../../../server/src/clock.ts';
import type { Db } from '../../../server/src/db/client.ts';
import { migrate } from '../../../server/src/db/migrate.ts';
import { openTestDb } from './test-db.ts';

export const FIXED_NOW = new Date('2026-11-23T09:30:00Z');

/** A clock tests move by hand (session expiry, rate-limit windows). */
export class TestClock implements Clock {
  private time = FIXED_NOW.getTime();
  now(): Date {
    return new Date(this.time);
  }

  advance(ms: number): void {
    this.time += ms;
  }
}

export interface TestApp {
  app: FastifyInstance;
  db: Db;
  blobs: DirectoryBlobStore;
  clock: TestClock;
  close(): Promise<void>;
}

/** The real app on a fresh, migrated database of the suite's engine, for inject(). */
export async function startTestApp(options: Partial<AppOptions> = {}): Promise<TestApp> {
  const db = await openTestDb();
  await migrate(db);
  const blobDir = await mkdtemp(path.join(tmpdir(), 'wingcheck-blobs-'));
  const clock = new TestClock();
  const blobs = new DirectoryBlobStore(blobDir);
  const app = await buildApp({ db, blobs, clock, ...options });
  return {
    app,
    db,
    blobs,
    clock,
    async close() {
      await app.close();
      await db.close();
      await rm(blobDir, { recursive: true, force: true });
    },
  };
}
