import { describe, expect, it } from 'vitest';
import { loadConfig, StartupError } from '../../server/src/config.ts';

describe('server configuration', () => {
  it('defaults to port 8080 and the embedded database in ./data', () => {
    const config = loadConfig({}, '/srv/wingcheck');
    expect(config.port).toBe(8080);
    expect(config.dataDir).toBe('/srv/wingcheck/data');
    expect(config.database).toEqual({ engine: 'pglite', dataDir: '/srv/wingcheck/data/pglite' });
  });

  it('takes PORT and WINGCHECK_DATA_DIR', () => {
    const config = loadConfig({ PORT: '9000', WINGCHECK_DATA_DIR: 'store' }, '/srv');
    expect(config.port).toBe(9000);
    expect(config.dataDir).toBe('/srv/store');
  });

  it('uses PostgreSQL when DATABASE_URL is set', () => {
    const url = 'postgres://wingcheck:pw@db.internal:5432/wingcheck';
    expect(loadConfig({ DATABASE_URL: url }).database).toEqual({ engine: 'postgres', url });
    expect(loadConfig({ DATABASE_URL: 'postgresql:///wingcheck?host=/var/run/postgresql' }).database.engine).toBe('postgres');
  });

  it.each([
    [{ PORT: '0' }, /PORT must be between 1 and 65535/],
    [{ PORT: '70000' }, /PORT must be between 1 and 65535/],
    [{ PORT: '80.5' }, /PORT must be a whole number/],
    [{ PORT: 'http' }, /PORT must be a number/],
    [{ DATABASE_URL: 'localhost:5432' }, /DATABASE_URL must start with postgres:\/\//],
    [{ DATABASE_URL: '::::' }, /DATABASE_URL is not a valid URL/],
    [{ DATABASE_URL: 'postgres://' }, /DATABASE_URL names no host/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL must be one of/],
  ])('refuses %o with a message naming the setting', (env, message) => {
    expect(() => loadConfig(env)).toThrow(StartupError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('takes TRUST_PROXY as true, false or the proxies\' addresses, and warns about true', () => {
    expect(loadConfig({})).toMatchObject({ trustProxy: false, warnings: [] });
    expect(loadConfig({ TRUST_PROXY: 'false' })).toMatchObject({ trustProxy: false, warnings: [] });
    const nearest = loadConfig({ TRUST_PROXY: 'true' });
    expect(nearest.trustProxy).toBe(true);
    expect(nearest.warnings).toHaveLength(1);
    expect(nearest.warnings[0]).toMatch(/TRUST_PROXY=true .* set TRUST_PROXY to your proxies' addresses/);
    expect(loadConfig({ TRUST_PROXY: ' 10.0.0.5, 10.1.0.0/16 ,fd00::/8,::1' })).toMatchObject({
      trustProxy: '10.0.0.5,10.1.0.0/16,fd00::/8,::1',
      warnings: [],
    });
  });

  it.each(['yes', '1', '10.0.0.0/33', '10.0.0.1,proxy.internal', 'fd00::/129', ','])('refuses TRUST_PROXY=%s', (value) => {
    expect(() => loadConfig({ TRUST_PROXY: value })).toThrow(/TRUST_PROXY must be true, false or the proxies' addresses/);
  });

  it('never repeats a password from DATABASE_URL in its message', () => {
    expect(() => loadConfig({ DATABASE_URL: 'mysql://root:hunter2@db/x' })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('hunter2') as unknown }),
    );
  });
});
