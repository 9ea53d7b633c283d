// Behind a reverse proxy (TRUST_PROXY), the client's address is the one the proxy saw, whatever
// X-Forwarded-For the client sends itself: rotating it does not escape the sign-in limit.
import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_PER_ADDRESS } from '../../../server/src/auth/sign-in-limit.ts';
import { loadConfig } from '../../../server/src/config.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { TEST_ENGINE } from '../support/test-db.ts';
import { buildWorld, PASSWORD } from '../support/world.ts';

/** inject() connects from 127.0.0.1: that is the proxy here. */
const forged = () => `${randomInt(1, 223)}.${randomInt(0, 255)}.${randomInt(0, 255)}.${randomInt(1, 254)}`;

// true: the nearest proxy, whoever it is; an address: that proxy.
describe.each(['true', '127.0.0.1'])(`client address behind a proxy on ${TEST_ENGINE}, TRUST_PROXY=%s`, (setting) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ trustProxy: loadConfig({ TRUST_PROXY: setting }).trustProxy });
    await buildWorld(t.db);
  });
  afterAll(async () => {
    await t.close();
  });

  // The proxy appends the address it saw to whatever X-Forwarded-For the client sent.
  const signIn = (clientAddress: string, username: string, password: string, extra: Record<string, string> = {}) =>
    t.app.inject({
      method: 'POST',
      url: '/api/session',
      headers: { 'x-forwarded-for': `${forged()}, ${forged()}, ${clientAddress}`, ...extra },
      payload: { username, password },
    });

  it('limits a client that rotates X-Forwarded-For after the allowed failed sign-ins', async () => {
    for (let i = 0; i < MAX_PER_ADDRESS; i += 1) {
      // A new username each time, so only the per-address limit can stop it.
      const res = await signIn('198.51.100.7', `guess.${i}`, 'a wrong password');
      expect(res.statusCode).toBe(401);
    }
    const blocked = await signIn('198.51.100.7', 'guess.last', 'a wrong password');
    expect(blocked.statusCode).toBe(429);
    // Another client behind the same proxy is not held back by it.
    const other = await signIn('198.51.100.8', 'hor.demo', PASSWORD);
    expect(other.statusCode).toBe(200);
  });

  it('still takes https from the proxy: Secure cookies and HSTS', async () => {
    const res = await signIn('198.51.100.9', 'dg.demo', PASSWORD, { 'x-forwarded-proto': 'https' });
    expect(res.statusCode).toBe(200);
    expect(res.cookies.find((c) => c.name === 'wingcheck_session')?.secure).toBe(true);
    expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
  });
});
