// TRUST_PROXY=true still works, with one warning line at start recommending the proxies'
// addresses; addresses start without one. (Independent of the engine: server-pglite runs this folder.)
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../support/ports.ts';
import { spawnServer } from '../support/spawn-server.ts';

describe('TRUST_PROXY at start', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'wingcheck-trust-proxy-'));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  async function startWith(trustProxy: string): Promise<string> {
    const run = spawnServer({ PORT: String(await freePort()), WINGCHECK_DATA_DIR: dataDir, NODE_ENV: 'production', TRUST_PROXY: trustProxy });
    try {
      expect(await run.ready, run.stderr()).toEqual({ running: true, code: null });
      return run.stderr();
    } finally {
      await run.stop();
    }
  }

  it('warns once when it is true, recommending the proxies\' addresses', async () => {
    const lines = (await startWith('true')).trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^Warning: TRUST_PROXY=true .*set TRUST_PROXY to your proxies' addresses/);
  });

  it('says nothing when it names the proxies', async () => {
    expect(await startWith('10.0.0.5, 10.1.0.0/16')).toBe('');
  });
});
