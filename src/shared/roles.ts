/**
 * Roles and request headers without zod, so the device's first bundle can use them (zod loads
 * later, with the screens and the sync that parse server answers). auth.ts re-exports all of it.
 */

/** What a person may do in one establishment (see docs: users and what each does). */
export const ROLES = ['unit-manager', 'duty-governor', 'head-of-residence', 'admin'] as const;
export type Role = (typeof ROLES)[number];
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

/** Sent with every state-changing request; must match the session's token. */
export const CSRF_HEADER = 'x-csrf-token';
/** This device's id, so the audit log can say from which tablet a change came. */
export const DEVICE_HEADER = 'x-wingcheck-device';
/**
 * The establishment a request works in, for people who work in several: the device says which one
 * its data belongs to, so what it sends lands there even if the session was switched elsewhere since.
 */
export const ESTABLISHMENT_HEADER = 'x-wingcheck-establishment';
