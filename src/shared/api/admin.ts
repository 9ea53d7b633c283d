import { z } from 'zod';
import { NewPassword, Role, Username } from '../auth.ts';
import { SafeText, Text } from '../text.ts';

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
  /** One-time; required unless passwords are switched off (single sign-on only), when none may be given. */
  password: NewPassword.optional(),
  roles: z.array(Role).min(1, 'needs at least one role'),
  unitIds: UnitIds.default([]),
});

/** Someone who already works in another establishment, given roles in this one too (no new account). */
export const AddMemberRequest = z.strictObject({
  username: SafeText(200).trim().toLowerCase().min(1, 'is required').max(64, 'must be at most 64 characters'),
  roles: z.array(Role).min(1, 'needs at least one role'),
  unitIds: UnitIds.default([]),
});
export type AddMemberRequest = z.infer<typeof AddMemberRequest>;

export const UpdateUserRequest = z.strictObject({
  displayName: Text(100).optional(),
  jobTitle: Text(100).nullable().optional(),
  roles: z.array(Role).min(1, 'needs at least one role').optional(),
  unitIds: UnitIds.optional(),
  disabled: z.boolean().optional(),
});
export type UpdateUserRequest = z.infer<typeof UpdateUserRequest>;

export const ResetPasswordRequest = z.strictObject({ password: NewPassword });

export const Unit = z.object({
  id: z.uuid(),
  name: z.string(),
  landings: z.array(z.string()),
  /** Other places with a location tag of their own (the servery, the kitchen); absent from servers before them. */
  places: z.array(z.string()).default([]),
  archived: z.boolean(),
});
export type Unit = z.infer<typeof Unit>;

const Landings = z.array(Text(40)).max(20, 'at most 20 landings');
const Places = z.array(Text(40)).max(20, 'at most 20 places');

export const CreateUnitRequest = z.strictObject({ name: Text(80), landings: Landings.default([]), places: Places.default([]) });
export const UpdateUnitRequest = z.strictObject({
  name: Text(80).optional(),
  landings: Landings.optional(),
  places: Places.optional(),
  archived: z.boolean().optional(),
});
export type UpdateUnitRequest = z.infer<typeof UpdateUnitRequest>;

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

/** The audit chain's head at a moment, kept outside the database to verify against later. */
export const AuditCheckpoint = z.object({
  establishmentId: z.string(),
  establishment: z.string(),
  seq: z.number().int().nonnegative(),
  hash: z.string(),
  at: z.string(),
});
export type AuditCheckpoint = z.infer<typeof AuditCheckpoint>;

/** Verify the chain, and (given a checkpoint's seq and hash) that it still holds the checkpoint's entry unchanged. */
export const AuditVerifyQuery = z
  .strictObject({
    seq: z.coerce.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).optional(),
    hash: z.string().regex(/^([0-9a-f]{64})?$/, 'must be the checkpoint’s hash: 64 hexadecimal characters').optional(),
  })
  .refine((q) => (q.seq === undefined) === (q.hash === undefined), 'give both seq and hash of the checkpoint, or neither');

export const AuditVerifyResponse = z.union([
  z.object({
    ok: z.literal(true),
    count: z.number(),
    /** Checks, notes and review decisions matched to their entries in the chain. */
    evidence: z.object({ checks: z.number(), reviews: z.number() }),
    checkpoint: z.object({ seq: z.number(), hash: z.string() }).nullable(),
  }),
  /** brokenAt: the first entry that does not hold, or null where stored evidence disagrees with the chain. */
  z.object({ ok: z.literal(false), count: z.number(), brokenAt: z.number().nullable(), reason: z.string() }),
]);
export type AuditVerifyResponse = z.infer<typeof AuditVerifyResponse>;

/** How long evidence is kept: whole years, or null to keep everything. */
export const RetentionYears = z.number().int('must be whole years').min(1, 'must be at least 1 year').max(100, 'must be at most 100 years').nullable();

export const RetentionRequest = z.strictObject({ retentionYears: RetentionYears });
export type RetentionRequest = z.infer<typeof RetentionRequest>;

export const RetentionSettings = z.object({
  retentionYears: RetentionYears,
  /** Evidence the next purge would remove under this setting (checks and notes). */
  expiring: z.number().int().nonnegative(),
  /** Submitted before this goes (ISO instant); null when everything is kept. */
  before: z.string().nullable(),
  lastPurge: z.object({ at: z.string(), checks: z.number(), reviews: z.number(), photos: z.number() }).nullable(),
});
export type RetentionSettings = z.infer<typeof RetentionSettings>;

/** `POST /api/units/tags`: the new sheet's version; tags of earlier versions no longer verify. */
export const TagSheetVersion = z.object({ version: z.number().int().min(1) });
