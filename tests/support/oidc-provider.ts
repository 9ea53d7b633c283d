// A real OpenID Connect provider (the oidc-provider package) on loopback, for the single sign-on
// tests: one confidential client, PKCE required, and its development login form, where any
// password works and the login typed in is the account (its username claims say the same).
import { createServer, type Server } from 'node:http';
import Provider, { type Configuration } from 'oidc-provider';
import type { OidcConfig } from '../../server/src/config.ts';
import { freePort } from './ports.ts';

export const OIDC_CLIENT_ID = 'wingcheck';
export const OIDC_CLIENT_SECRET = 'a test client secret that is long enough';

/** The address server tests give the app (WINGCHECK_PUBLIC_URL), registered with the provider. */
export const TEST_APP_ORIGIN = 'http://wingcheck.test';

/** Wingcheck's settings for this provider, as config.ts would read them from the environment. */
export const oidcSettings = (issuer: string): OidcConfig => ({
  issuer,
  clientId: OIDC_CLIENT_ID,
  clientSecret: OIDC_CLIENT_SECRET,
  usernameClaim: 'preferred_username',
  scopes: 'openid profile',
  name: 'Test SSO',
});

export interface TestProvider {
  issuer: string;
  /** Accounts whose login the provider refuses to give a username claim (a provider without one). */
  withoutUsername: Set<string>;
  close(): Promise<void>;
}

/** Starts the provider; `appOrigins` are the Wingcheck addresses it may send people back to. */
export async function startTestProvider(appOrigins: string[]): Promise<TestProvider> {
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const withoutUsername = new Set<string>();
  const configuration: Configuration = {
    clients: [
      {
        client_id: OIDC_CLIENT_ID,
        client_secret: OIDC_CLIENT_SECRET,
        redirect_uris: appOrigins.map((origin) => `${origin}/api/session/oidc/callback`),
        post_logout_redirect_uris: appOrigins.map((origin) => `${origin}/`),
        token_endpoint_auth_method: 'client_secret_basic',
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    pkce: { required: () => true },
    // The claims HMPPS Auth (user_name) and most others (preferred_username) carry the username in.
    claims: { openid: ['sub'], profile: ['preferred_username', 'user_name', 'name'] },
    findAccount: (_ctx, id) => ({
      accountId: id,
      claims: () => (withoutUsername.has(id) ? { sub: id } : { sub: id, preferred_username: id, user_name: id, name: id }),
    }),
    // Consent is taken as given: the organisation's own application, as with HMPPS Auth.
    loadExistingGrant: async (ctx) => {
      const accountId = ctx.oidc.session?.accountId;
      const clientId = ctx.oidc.client?.clientId;
      if (!accountId || !clientId) return undefined;
      const grant = new ctx.oidc.provider.Grant({ accountId, clientId });
      grant.addOIDCScope('openid profile');
      await grant.save();
      return grant;
    },
    features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
    cookies: { keys: ['test cookie signing key'] },
    // Set, so the provider does not print a notice for each default it uses.
    ttl: { Interaction: 600, Grant: 600, Session: 600, AccessToken: 600, IdToken: 600 },
  };
  const provider = new Provider(issuer, configuration);
  const handle = provider.callback();
  const server: Server = createServer((req, res) => {
    void handle(req, res);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    issuer,
    withoutUsername,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}

/**
 * Signs in at the provider as `login` the way a browser would (following its redirects and
 * posting its login form, with its cookies), and returns where it sends the person back to:
 * the callback address with the code, state and iss.
 */
export async function signInAtProvider(authorizationUrl: string, login: string): Promise<URL> {
  const jar = new Map<string, string>();
  const send = async (url: URL, init: RequestInit = {}): Promise<Response> => {
    const cookie = [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
    const response = await fetch(url, { ...init, redirect: 'manual', headers: { ...(init.headers as Record<string, string>), cookie } });
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const at = pair.indexOf('=');
      jar.set(pair.slice(0, at), pair.slice(at + 1));
    }
    return response;
  };
  let url = new URL(authorizationUrl);
  const issuerOrigin = url.origin;
  let response = await send(url);
  for (let hops = 0; hops < 10; hops += 1) {
    const location = response.headers.get('location');
    if (location) {
      url = new URL(location, url);
      if (url.origin !== issuerOrigin) return url;
      response = await send(url);
      continue;
    }
    const html = await response.text();
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
    if (!action) throw new Error(`the provider answered ${response.status} without a form: ${html.slice(0, 300)}`);
    response = await send(new URL(action, url), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ prompt: 'login', login, password: 'any password' }).toString(),
    });
  }
  throw new Error('the provider never sent the person back');
}
