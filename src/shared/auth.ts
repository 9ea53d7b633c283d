import { z } from 'zod';

/** What a person may do in one establishment (see docs: users and what each does). */
export const Role = z.enum(['unit-manager', 'duty-governor', 'head-of-residence', 'admin']);
export type Role = z.infer<typeof Role>;
export const ROLES = Role.options;

export const ROLE_LABELS: Record<Role, string> = {
  'unit-manager': 'Unit manager (SO, CM)',
  'duty-governor': 'Duty governor',
  'head-of-residence': 'Head of residence',
  'admin': 'Governor / admin',
};

// "The head of residence can do anything a duty governor can."
const IMPLIED: Partial<Record<Role, readonly Role[]>> = {
  'head-of-residence': ['duty-governor'],
};

/** The roles a person effectively has, given the ones they were granted. */
export function effectiveRoles(granted: readonly Role[]): Set<Role> {
  const roles = new Set<Role>(granted);
  for (const role of granted) for (const implied of IMPLIED[role] ?? []) roles.add(implied);
  return roles;
}

/** Whether someone with `granted` roles may do what needs any one of `required`. */
export function hasAnyRole(granted: readonly Role[], required: readonly Role[]): boolean {
  const roles = effectiveRoles(granted);
  return required.some((role) => roles.has(role));
}

export const Username = z
  .string()
  .trim()
  .toLowerCase()
  .min(3, 'must be at least 3 characters')
  .max(64, 'must be at most 64 characters')
  .regex(/^[a-z0-9][a-z0-9._-]*$/, 'may contain only letters, digits, dots, dashes and underscores');

/** Long passphrases beat complexity rules (NCSC guidance): a minimum length and nothing else. */
export const NewPassword = z.string().min(10, 'must be at least 10 characters').max(200, 'must be at most 200 characters');

export const SignInRequest = z.strictObject({
  username: z.string().trim().toLowerCase().min(1, 'is required').max(64),
  password: z.string().min(1, 'is required').max(200),
  /** Which establishment to work in, for people in more than one; default: their first. */
  establishmentId: z.uuid().optional(),
});
export type SignInRequest = z.infer<typeof SignInRequest>;

export const EstablishmentRef = z.object({ id: z.uuid(), name: z.string() });

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
});
export type SessionInfo = z.infer<typeof SessionInfo>;

/** Sent with every state-changing request; must match the session's token. */
export const CSRF_HEADER = 'x-csrf-token';
/** This device's id, so the audit log can say from which tablet a change came. */
export const DEVICE_HEADER = 'x-wingcheck-device';
