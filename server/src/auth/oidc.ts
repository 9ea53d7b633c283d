import * as client from 'openid-client';
import type { OidcConfig } from '../config.ts';

/** Something the provider did or said that ends this sign-in; `unavailable`: it could not be reached. */
export class OidcError extends Error {
  constructor(
    readonly reason: 'failed' | 'unavailable' | 'cancelled' | 'no-username',
    readonly detail?: unknown,
  ) {
    super(`single sign-on ${reason}`);
  }
}

/** What one sign-in keeps between sending the person to the provider and their return. */
export interface LoginChecks {
  state: string;
  nonce: string;
  codeVerifier: string;
}

export interface OidcIdentity {
  /** The username claim, trimmed and lower-cased as Wingcheck stores usernames. */
  username: string;
  /** Handed back at sign-out (id_token_hint) so the provider ends its session too. */
  idToken: string;
}

const PROVIDER_TIMEOUT_SECONDS = 10;

/**
 * The relying party, through openid-client: authorization code flow with PKCE (S256), state and
 * nonce checked on return, ID token validated against the provider's published keys. The
 * provider's metadata is read once, at first use (so a provider that is down at start does not
 * stop the server), and again after a failure.
 */
export class OidcClient {
  private discovered: Promise<client.Configuration> | null = null;

  constructor(readonly settings: OidcConfig) {}

  private configuration(): Promise<client.Configuration> {
    this.discovered ??= client
      .discovery(
        new URL(this.settings.issuer),
        this.settings.clientId,
        undefined,
        client.ClientSecretBasic(this.settings.clientSecret),
        {
          // config.ts allows http:// only for a provider on loopback (tests, a local proxy).
          // eslint-disable-next-line @typescript-eslint/no-deprecated -- deprecated only to flag it; it is the documented switch
          execute: new URL(this.settings.issuer).protocol === 'http:' ? [client.allowInsecureRequests] : [],
          timeout: PROVIDER_TIMEOUT_SECONDS,
        },
      )
      .catch((error: unknown) => {
        this.discovered = null;
        throw new OidcError('unavailable', error);
      });
    return this.discovered;
  }

  static newChecks(): LoginChecks {
    return { state: client.randomState(), nonce: client.randomNonce(), codeVerifier: client.randomPKCECodeVerifier() };
  }

  async authorizationUrl(checks: LoginChecks, redirectUri: string): Promise<string> {
    const config = await this.configuration();
    return client
      .buildAuthorizationUrl(config, {
        redirect_uri: redirectUri,
        scope: this.settings.scopes,
        response_type: 'code',
        state: checks.state,
        nonce: checks.nonce,
        code_challenge: await client.calculatePKCECodeChallenge(checks.codeVerifier),
        code_challenge_method: 'S256',
      })
      .toString();
  }

  /** Exchanges the code the provider sent back (to `callbackUrl`) and reads who signed in. */
  async identify(callbackUrl: URL, checks: LoginChecks): Promise<OidcIdentity> {
    const config = await this.configuration();
    if (callbackUrl.searchParams.get('error') === 'access_denied') throw new OidcError('cancelled');
    let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
    try {
      tokens = await client.authorizationCodeGrant(config, callbackUrl, {
        pkceCodeVerifier: checks.codeVerifier,
        expectedState: checks.state,
        expectedNonce: checks.nonce,
        idTokenExpected: true,
      });
    } catch (error) {
      throw new OidcError(isUnreachable(error) ? 'unavailable' : 'failed', error);
    }
    const claims = tokens.claims();
    if (!claims || !tokens.id_token) throw new OidcError('failed');
    let value: unknown = claims[this.settings.usernameClaim];
    if (value === undefined) {
      // Not every provider puts it in the ID token; the userinfo endpoint may have it.
      try {
        const info = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
        value = info[this.settings.usernameClaim];
      } catch (error) {
        throw new OidcError(isUnreachable(error) ? 'unavailable' : 'failed', error);
      }
    }
    if (typeof value !== 'string' || value.trim() === '') throw new OidcError('no-username');
    return { username: value.trim().toLowerCase(), idToken: tokens.id_token };
  }

  /** The provider's sign-out address for this ID token, or null if it publishes none. */
  async endSessionUrl(idToken: string, postLogoutRedirectUri: string): Promise<string | null> {
    let config: client.Configuration;
    try {
      config = await this.configuration();
    } catch {
      return null; // Wingcheck's own session is ended all the same.
    }
    if (!config.serverMetadata().end_session_endpoint) return null;
    const parameters = { id_token_hint: idToken, post_logout_redirect_uri: postLogoutRedirectUri };
    return client.buildEndSessionUrl(config, parameters).toString();
  }
}

/** No answer from the provider at all (refused, timed out), as opposed to an answer saying no. */
function isUnreachable(error: unknown): boolean {
  // fetch fails with a plain TypeError; openid-client's own argument errors carry a code.
  if (error instanceof TypeError) return !('code' in error);
  return error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError');
}
