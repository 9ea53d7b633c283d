import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../src/shared/api/errors.ts';
import { HealthResponse } from '../../src/shared/api/health.ts';
import { APP_VERSION } from '../../server/src/version.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { TEST_ENGINE } from './support/test-db.ts';

describe(`GET /api/health on ${TEST_ENGINE}`, () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp();
  });
  afterEach(async () => {
    await t.close();
  });

  it('reports ok, the engine in use and the version, and is never cached', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/health' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const body = HealthResponse.parse(res.json());
    expect(body).toEqual({ status: 'ok', db: TEST_ENGINE, blobs: 'folder', version: APP_VERSION });
  });

  it('answers 503, in the same shape with status "unavailable", when the database has gone away', async () => {
    const broken = await startTestApp();
    try {
      await broken.db.close();
      const res = await broken.app.inject({ method: 'GET', url: '/api/health' });
      expect(res.statusCode).toBe(503);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(HealthResponse.parse(res.json())).toEqual({ status: 'unavailable', db: TEST_ENGINE, blobs: 'folder', version: APP_VERSION });
    } finally {
      await broken.app.close();
    }
  });

  it('answers 503 when the photo store does not answer', async () => {
    const broken = await startTestApp();
    try {
      broken.blobs.check = () => Promise.reject(new Error('EACCES: the photo folder is not writable'));
      const res = await broken.app.inject({ method: 'GET', url: '/api/health' });
      expect(res.statusCode).toBe(503);
      expect(HealthResponse.parse(res.json()).status).toBe('unavailable');
    } finally {
      await broken.close();
    }
  });

  it('answers unknown API paths with a JSON 404, never the app shell', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/no-such-thing', headers: { accept: 'text/html' } });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(ApiError.parse(res.json()).error).toBe('not_found');
  });
});
