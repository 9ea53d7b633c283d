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

  it('keeps photos in the data folder unless WINGCHECK_S3_ENDPOINT is set, then in that bucket (region us-east-1 unless set)', () => {
    expect(loadConfig({}, '/srv/wingcheck').blobs).toEqual({ kind: 'folder', dir: '/srv/wingcheck/data/blobs' });
    const s3 = { WINGCHECK_S3_ENDPOINT: 'http://127.0.0.1:9000/', WINGCHECK_S3_BUCKET: 'wingcheck-photos', AWS_ACCESS_KEY_ID: 'id', AWS_SECRET_ACCESS_KEY: 'secret' };
    expect(loadConfig(s3).blobs).toEqual({
      kind: 's3',
      s3: { endpoint: 'http://127.0.0.1:9000', bucket: 'wingcheck-photos', region: 'us-east-1', accessKeyId: 'id', secretAccessKey: 'secret' },
    });
    expect(loadConfig({ ...s3, WINGCHECK_S3_REGION: 'eu-west-2' }).blobs).toMatchObject({ s3: { region: 'eu-west-2' } });
    expect(loadConfig({ ...s3, WINGCHECK_S3_ENDPOINT: '  ' }).blobs.kind).toBe('folder');
  });

  it('refuses object storage settings that cannot work, naming the setting', () => {
    const s3 = { WINGCHECK_S3_ENDPOINT: 'https://s3.example.org', WINGCHECK_S3_BUCKET: 'photos', AWS_ACCESS_KEY_ID: 'id', AWS_SECRET_ACCESS_KEY: 'secret' };
    for (const [env, message] of [
      [{ ...s3, WINGCHECK_S3_BUCKET: '' }, /WINGCHECK_S3_BUCKET must name/],
      [{ ...s3, WINGCHECK_S3_BUCKET: 'Photos_2026' }, /bucket name/],
      [{ ...s3, WINGCHECK_S3_BUCKET: 'ab' }, /bucket name/],
      [{ ...s3, AWS_SECRET_ACCESS_KEY: '' }, /AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY/],
      [{ ...s3, WINGCHECK_S3_ENDPOINT: 'not a url' }, /WINGCHECK_S3_ENDPOINT must be/],
      [{ ...s3, WINGCHECK_S3_ENDPOINT: 'ftp://s3.example.org' }, /WINGCHECK_S3_ENDPOINT must be/],
      [{ ...s3, WINGCHECK_S3_ENDPOINT: 'https://key:secret@s3.example.org' }, /WINGCHECK_S3_ENDPOINT must be/],
    ] as const) {
      expect(() => loadConfig(env), JSON.stringify(env)).toThrow(StartupError);
      expect(() => loadConfig(env), JSON.stringify(env)).toThrow(message);
    }
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

describe('single sign-on settings', () => {
  const sso = {
    WINGCHECK_OIDC_ISSUER: 'https://sign-in.example.gov.uk/auth/issuer',
    WINGCHECK_OIDC_CLIENT_ID: 'wingcheck',
    WINGCHECK_OIDC_CLIENT_SECRET: 's3cret',
  };

  it('is off, with passwords on, unless configured', () => {
    expect(loadConfig({})).toMatchObject({ oidc: null, localPasswords: true, publicUrl: null, exportWorker: 'in-process' });
  });

  it('is on with all three settings, with defaults for the rest', () => {
    expect(loadConfig(sso).oidc).toEqual({
      issuer: sso.WINGCHECK_OIDC_ISSUER,
      clientId: 'wingcheck',
      clientSecret: 's3cret',
      usernameClaim: 'preferred_username',
      scopes: 'openid profile',
      name: 'single sign-on',
    });
  });

  it('takes the username claim, scopes, button name, passwords off and the public URL', () => {
    const config = loadConfig({
      ...sso,
      WINGCHECK_OIDC_USERNAME_CLAIM: 'user_name',
      WINGCHECK_OIDC_SCOPES: ' openid  read ',
      WINGCHECK_OIDC_NAME: 'HMPPS Auth',
      WINGCHECK_LOCAL_PASSWORDS: 'off',
      WINGCHECK_PUBLIC_URL: 'https://wingcheck.example.gov.uk/',
    });
    expect(config.oidc).toMatchObject({ usernameClaim: 'user_name', scopes: 'openid read', name: 'HMPPS Auth' });
    expect(config.localPasswords).toBe(false);
    expect(config.publicUrl).toBe('https://wingcheck.example.gov.uk');
  });

  it('allows a plain-HTTP issuer only on loopback', () => {
    expect(loadConfig({ ...sso, WINGCHECK_OIDC_ISSUER: 'http://127.0.0.1:9000' }).oidc?.issuer).toBe('http://127.0.0.1:9000');
    expect(() => loadConfig({ ...sso, WINGCHECK_OIDC_ISSUER: 'http://sign-in.example.gov.uk' })).toThrow(/must be an https:\/\/ URL/);
  });

  it.each([
    [{ WINGCHECK_OIDC_ISSUER: sso.WINGCHECK_OIDC_ISSUER }, /set WINGCHECK_OIDC_CLIENT_ID and WINGCHECK_OIDC_CLIENT_SECRET$/],
    [{ ...sso, WINGCHECK_OIDC_CLIENT_SECRET: '' }, /single sign-on needs all three OIDC settings: set WINGCHECK_OIDC_CLIENT_SECRET$/],
    [{ WINGCHECK_OIDC_CLIENT_ID: 'x', WINGCHECK_OIDC_CLIENT_SECRET: 'y' }, /set WINGCHECK_OIDC_ISSUER$/],
    [{ ...sso, WINGCHECK_OIDC_ISSUER: 'sign-in.example' }, /WINGCHECK_OIDC_ISSUER is not a URL/],
    [{ ...sso, WINGCHECK_OIDC_SCOPES: 'profile' }, /WINGCHECK_OIDC_SCOPES must include openid/],
    [{ WINGCHECK_LOCAL_PASSWORDS: 'off' }, /WINGCHECK_LOCAL_PASSWORDS=off needs single sign-on/],
    [{ ...sso, WINGCHECK_LOCAL_PASSWORDS: 'no' }, /WINGCHECK_LOCAL_PASSWORDS must be on or off/],
    [{ WINGCHECK_EXPORT_WORKER: 'separate' }, /WINGCHECK_EXPORT_WORKER must be in-process or off: got "separate"/],
    [{ WINGCHECK_PUBLIC_URL: 'https://wingcheck.example/app' }, /WINGCHECK_PUBLIC_URL must be the app's address without a path/],
    [{ WINGCHECK_PUBLIC_URL: 'wingcheck.example' }, /WINGCHECK_PUBLIC_URL must be/],
  ])('refuses %o in one line naming the setting', (env, message) => {
    expect(() => loadConfig(env)).toThrow(StartupError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});
