import { z } from 'zod';
import { ROLES } from './roles.ts';
import { SafeText } from './text.ts';

export * from './roles.ts';

export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

export const Username = SafeText(200)
  .trim()
  .toLowerCase()
  .min(3, 'must be at least 3 characters')
  .max(64, 'must be at most 64 characters')
  .regex(/^[a-z0-9][a-z0-9._-]*$/, 'may contain only letters, digits, dots, dashes and underscores');

/** Long passphrases beat complexity rules (NCSC guidance): a minimum length and nothing else. */
export const NewPassword = SafeText(200).min(10, 'must be at least 10 characters');

export const SignInRequest = z.strictObject({
  username: SafeText(200).trim().toLowerCase().min(1, 'is required').max(64, 'must be at most 64 characters'),
  password: SafeText(200).min(1, 'is required'),
  /** Which establishment to work in, for people in more than one; default: their first. */
  establishmentId: z.uuid().optional(),
});
export type SignInRequest = z.infer<typeof SignInRequest>;

export const EstablishmentRef = z.object({ id: z.uuid(), name: z.string() });

/** Working in another of one's establishments from now on (the switcher). */
export const SwitchEstablishmentRequest = z.strictObject({ establishmentId: z.uuid('must be an establishment id') });
export type SwitchEstablishmentRequest = z.infer<typeof SwitchEstablishmentRequest>;

/** The answer to sign-in and to GET /api/me: who, where, with which roles. */
export const SessionInfo = z.object({
  user: z.object({ id: z.uuid(), username: z.string(), displayName: z.string() }),
  roles: z.array(Role),
  /** Defaults keep a session stored by an older version readable offline. */
  establishment: EstablishmentRef.extend({ timeZone: z.string().default('Europe/London') }),
  establishments: z.array(EstablishmentRef.extend({ roles: z.array(Role) })),
  /** The units this person looks after (their Today screen); none: they work across all units. */
  unitIds: z.array(z.uuid()).default([]),
  csrfToken: z.string(),
  /** Signed in with a one-time password: a new one must be chosen before anything else. */
  mustChangePassword: z.boolean().default(false),
});
export type SessionInfo = z.infer<typeof SessionInfo>;
/** One of the establishments a person works in, with their roles there. */
export type Workplace = SessionInfo['establishments'][number];

/** Choosing a new password (after a one-time password, or any time): the current one proves who. */
export const ChangePasswordRequest = z.strictObject({
  currentPassword: SafeText(200).min(1, 'is required'),
  newPassword: NewPassword,
});
export type ChangePasswordRequest = z.infer<typeof ChangePasswordRequest>;

/** How this server lets people sign in: GET /api/session/options, asked by the sign-in page. */
export const SessionOptions = z.object({
  localPasswords: z.boolean(),
  /** Single sign-on through OpenID Connect, with the name its button shows; null when not set up. */
  sso: z.object({ name: z.string() }).nullable(),
});
export type SessionOptions = z.infer<typeof SessionOptions>;

/**
 * Where to go after signing in: a path of this app only. One leading slash, no backslash and no
 * control characters, so it can never become another site's address (//evil.example, /\evil).
 */
export const ReturnTo = SafeText(500).refine(
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  (path) => /^\/(?![/\\])/.test(path) && !/[\\\u0000-\u001f\u007f]/.test(path),
  'must be a path of this app, starting with one /',
);

export const OidcStartRequest = z.strictObject({
  /** Which establishment to work in, for people in more than one; default: their first. */
  establishmentId: z.uuid().optional(),
  returnTo: ReturnTo.optional(),
});
export type OidcStartRequest = z.infer<typeof OidcStartRequest>;

export const OidcStartResponse = z.object({ authorizationUrl: z.url() });

/** What the provider sends back to the callback; other parameters are ignored. */
export const OidcCallbackQuery = z.object({
  code: SafeText(2000).optional(),
  state: SafeText(200).optional(),
  iss: SafeText(2000).optional(),
  error: SafeText(200).optional(),
  error_description: SafeText(2000).optional(),
});

/** Signing out of a single sign-on session: the provider's address that ends its session too. */
export const SignOutResponse = z.object({ endSessionUrl: z.url() });

/** Why single sign-on sent the person back to the sign-in page (`/?sso_error=<code>`), in words. */
export const SSO_ERRORS = {
  'failed': 'Single sign-on did not work. Try again.',
  'expired': 'Single sign-on took too long or was already used. Try again.',
  'unavailable': 'The single sign-on service cannot be reached. Try again later, or ask your administrator.',
  'cancelled': 'Single sign-on was cancelled.',
  'no-username': 'Your single sign-on account has no username Wingcheck can use. Ask your administrator.',
  'unknown-user': 'Your single sign-on account has no Wingcheck account. Ask your Wingcheck administrator to add you.',
  'disabled': 'Your Wingcheck account is switched off. Ask your Wingcheck administrator.',
  'no-role': 'Your Wingcheck account has no role in that establishment yet. Ask your administrator.',
  'too-many': 'Too many failed sign-ins. Try again in a few minutes.',
} as const;
export type SsoError = keyof typeof SSO_ERRORS;
