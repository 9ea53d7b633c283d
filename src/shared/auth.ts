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
