import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { CSRF_HEADER, DEVICE_HEADER, ESTABLISHMENT_HEADER, hasAnyRole, type Role } from '../../../src/shared/auth.ts';
import type { AppDeps } from '../app.ts';
import { badRequest, forbidden, HttpError, unauthorised } from '../http-errors.ts';
import { findSession, SESSION_COOKIE, type AuthContext } from './sessions.ts';

/**
 * Who may call a route, declared beside it in `config.access`:
 * - 'public': anyone (health, sign-in);
 * - 'signed-in': anyone with a session in some role;
 * - a list of roles: a session holding one of them (head of residence counts as duty governor).
 */
export type Access = 'public' | 'signed-in' | readonly Role[];

export interface ApiRoute {
  method: string;
  url: string;
  access: Access;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
    /** Open to a person who must still replace a one-time password (who am I, sign out, change it). */
    duringPasswordChange?: boolean;
  }
  interface FastifyRequest {
    /** The signed-in session, if any; set before any /api handler runs. */
    auth: AuthContext | null;
  }
  interface FastifyInstance {
    /** Every /api route with its declared access: the authorisation matrix test reads this. */
    apiRoutes: ApiRoute[];
  }
}

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** What createSession hands out (32 random bytes, base64url): anything else is no session, without asking the database. */
const SESSION_TOKEN = /^[A-Za-z0-9_-]{43}$/;

function sameToken(given: string | string[] | undefined, expected: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The signed-in session of a route declared with access other than 'public'. */
export function authOf(request: FastifyRequest): AuthContext {
  if (!request.auth) throw unauthorised();
  return request.auth;
}

/** The device id the app sends, if it looks like one (it only labels audit rows). */
export function deviceIdOf(request: FastifyRequest): string | null {
  const value = request.headers[DEVICE_HEADER];
  return typeof value === 'string' && /^[0-9a-f-]{36}$/i.test(value) ? value.toLowerCase() : null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The establishment the request says it works in, if it says one. */
function establishmentOf(request: FastifyRequest): string | undefined {
  const value = request.headers[ESTABLISHMENT_HEADER];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !UUID.test(value)) throw badRequest(`${ESTABLISHMENT_HEADER}: must be an establishment id`);
  return value.toLowerCase();
}

/**
 * Installs authorisation: a route under /api that declares no access fails at start-up, and every
 * request to one is checked (session, CSRF token on state changes, role) before its handler.
 */
export function installGuard(app: FastifyInstance, deps: AppDeps): void {
  const routes: ApiRoute[] = [];
  app.decorate('apiRoutes', routes);
  app.decorateRequest('auth', null);

  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/')) return;
    const access = route.config?.access;
    if (!access) throw new Error(`${String(route.method)} ${route.url} declares no access: add config.access`);
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD') routes.push({ method, url: route.url, access });
    }
  });

  app.addHook('onRequest', async (request) => {
    const access = request.routeOptions.config.access;
    if (!access) return; // not an API route: static files and 404s
    const token = request.cookies[SESSION_COOKIE];
    const live = token && SESSION_TOKEN.test(token);
    if (access === 'public') {
      // Sign-in and health do not depend on who asks: a stale establishment header is no reason to refuse them.
      request.auth = live ? await findSession(deps.db, token, deps.clock.now()) : null;
      return;
    }
    request.auth = live ? await findSession(deps.db, token, deps.clock.now(), establishmentOf(request)) : null;
    if (!request.auth) throw unauthorised(token ? 'Your session has ended. Sign in again.' : 'Sign in to continue.');
    if (UNSAFE_METHODS.has(request.method) && !sameToken(request.headers[CSRF_HEADER], request.auth.csrfToken)) {
      throw forbidden('This request is missing its security token. Reload the page and try again.');
    }
    if (request.auth.mustChangePassword && !request.routeOptions.config.duringPasswordChange) {
      throw new HttpError(403, 'password_change_required', 'Choose a new password before doing anything else.');
    }
    if (access !== 'signed-in' && !hasAnyRole(request.auth.roles, access)) throw forbidden();
  });
}
