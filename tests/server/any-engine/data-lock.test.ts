// One server per embedded data folder: a second is refused with one line while the first serves,
// and a server killed with kill -9 leaves nothing that stops the next start. (The lock is for the
// embedded engine only, so only the server-pglite suite runs this folder.)
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCK_FOLDER } from '../../../server/src/data-lock.ts';
import { freePort } from '../../support/ports.ts';
import { spawnServer, type ServerRun } from '../support/spawn-server.ts';

type Server = ServerRun & { port: number };

/** The real server, as npm start runs it; production, so a first start makes no demo history. */
async function start(dataDir: string): Promise<Server> {
  const port = await freePort();
  return { ...spawnServer({ NODE_ENV: 'production', PORT: String(port), WINGCHECK_DATA_DIR: dataDir }), port };
}

const stop = (server: Server, signal?: NodeJS.Signals) => server.stop(signal);

const health = (server: Server) => fetch(`http://127.0.0.1:${server.port}/api/health`).then((res) => res.status);
const sockets = async (dataDir: string) => {
  const names = await readdir(path.join(dataDir, LOCK_FOLDER));
  return names.filter((name) => name.endsWith('.sock'));
};

type Result = Awaited<Server['ready']>;

function expectRefused(server: Server, result: Result, dataDir: string, holderPid?: number): void {
  expect(result).toEqual({ running: false, code: 1 });
  const lines = server.stderr().trim().split('\n');
  expect(lines, server.stderr()).toHaveLength(1);
  const since = String.raw`running since \d{4}-\d\d-\d\dT[\d:.]+Z`;
  expect(lines[0]).toMatch(new RegExp(String.raw`^Wingcheck could not start: Another Wingcheck server \(process \d+, ${since}\) is using the data folder `));
  expect(lines[0]).toContain(dataDir);
  if (holderPid !== undefined) expect(lines[0]).toContain(`(process ${holderPid},`);
}

describe('one server per data folder', () => {
  let dataDir: string;
  const running: Server[] = [];
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'wingcheck-lock-'));
  });
  afterAll(async () => {
    await Promise.all(running.map((server) => stop(server, 'SIGKILL')));
    await rm(dataDir, { recursive: true, force: true });
  });

  async function startRunning(): Promise<Server> {
    const server = await start(dataDir);
    running.push(server);
    expect(await server.ready, server.stderr()).toEqual({ running: true, code: null });
    return server;
  }

  it('refuses a second server with one line naming the first, which keeps serving', async () => {
    const first = await startRunning();
    const second = await start(dataDir);
    running.push(second);
    expectRefused(second, await second.ready, dataDir, first.pid);
    expect(await health(first)).toBe(200);
    // The refused server took nothing away: the first's lock is still the only one, and still holds.
    expect(await sockets(dataDir)).toHaveLength(1);
    const third = await start(dataDir);
    running.push(third);
    expectRefused(third, await third.ready, dataDir, first.pid);
    await stop(first);
    // Released on a normal shutdown.
    expect(await sockets(dataDir)).toEqual([]);
  });

  it('starts again on the same folder after a kill -9, with no clean-up by hand', async () => {
    const first = await startRunning();
    await stop(first, 'SIGKILL');
    expect(await sockets(dataDir)).toHaveLength(1);
    const again = await startRunning();
    expect(await health(again)).toBe(200);
    // The dead server's socket is tidied away; only the new one's is left.
    expect(await sockets(dataDir)).toHaveLength(1);
    await stop(again, 'SIGKILL');
  });

  it('lets exactly one of two servers racing for a folder with a dead lock start', async () => {
    expect(await sockets(dataDir)).toHaveLength(1);
    const racers = await Promise.all([start(dataDir), start(dataDir)]);
    running.push(...racers);
    const results = await Promise.all(racers.map((racer) => racer.ready));
    const winners = results.filter((result) => result.running);
    expect(winners, racers.map((racer) => racer.stderr()).join('\n')).toHaveLength(1);
    const winner = racers[results.findIndex((result) => result.running)];
    const loser = racers[results.findIndex((result) => !result.running)];
    if (!winner || !loser) throw new Error('no winner and loser');
    expectRefused(loser, await loser.ready, dataDir, winner.pid);
    expect(await health(winner)).toBe(200);
    await stop(winner);
  });
});
