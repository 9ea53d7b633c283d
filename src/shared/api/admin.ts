import { z } from 'zod';
import { NewPassword, Role, Username } from '../auth.ts';

/** Free text a person typed: trimmed, bounded, never empty. Stored and shown as plain text. */
const Text = (max: number) => z.string().trim().min(1, 'is required').max(max, `must be at most ${max} characters`);

const UnitIds = z.array(z.uuid('must be unit ids')).max(100);

export const IdParams = z.strictObject({ id: z.uuid('must be an id') });

export const UserSummary = z.object({
  id: z.uuid(),
  username: z.string(),
  displayName: z.string(),
  jobTitle: z.string().nullable(),
  roles: z.array(Role),
  /** The units they look after; none: all units. */
  unitIds: z.array(z.uuid()),
  disabled: z.boolean(),
});
export type UserSummary = z.infer<typeof UserSummary>;

export const CreateUserRequest = z.strictObject({
  username: Username,
  displayName: Text(100),
  /** As plans name owners ("Head of Residence"): assignees are suggested from it. */
  jobTitle: Text(100).nullable().optional(),
  password: NewPassword,
  roles: z.array(Role).min(1, 'needs at least one role'),
  unitIds: UnitIds.default([]),
});

export const UpdateUserRequest = z.strictObject({
  displayName: Text(100).optional(),
  jobTitle: Text(100).nullable().optional(),
  roles: z.array(Role).min(1, 'needs at least one role').optional(),
  unitIds: UnitIds.optional(),
  disabled: z.boolean().optional(),
});

export const ResetPasswordRequest = z.strictObject({ password: NewPassword });

export const Unit = z.object({
  id: z.uuid(),
  name: z.string(),
  landings: z.array(z.string()),
  archived: z.boolean(),
});
export type Unit = z.infer<typeof Unit>;

const Landings = z.array(Text(40)).max(20, 'at most 20 landings');

export const CreateUnitRequest = z.strictObject({ name: Text(80), landings: Landings.default([]) });
export const UpdateUnitRequest = z.strictObject({
  name: Text(80).optional(),
  landings: Landings.optional(),
  archived: z.boolean().optional(),
});

export const AuditQuery = z.strictObject({
  /** Rows older than this seq (paging backwards from the newest). */
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const AuditRow = z.object({
  seq: z.number(),
  at: z.string(),
  actor: z.string().nullable(),
  action: z.string(),
  entityType: z.string(),
  entityId: z.string().nullable(),
  deviceId: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
});
export type AuditRow = z.infer<typeof AuditRow>;

export const AuditVerifyResponse = z.union([
  z.object({ ok: z.literal(true), count: z.number() }),
  z.object({ ok: z.literal(false), count: z.number(), brokenAt: z.number(), reason: z.string() }),
]);
