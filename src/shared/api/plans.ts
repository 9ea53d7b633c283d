import { z } from 'zod';
import { ActionReading, Agreement, ParsedPlan } from '../plan-import/schema.ts';
import { LocalDate, OptionalText, SafeText, Text } from '../text.ts';

/** An edited preview sent back to be stored: the importer's shape, bounded for storage. */
const Bounded = Text;
const MaybeText = (max: number) => OptionalText(max).nullable();

/** A parsed (and perhaps corrected) plan, as the server will store it. */
export const StorablePlan = ParsedPlan.extend({
  source: Bounded(200),
  establishment: MaybeText(200),
  warnings: z.array(SafeText(20_000)).max(10_000),
  // The preview's warnings with their concerns, as /api/plans/parse answered: accepted so the
  // preview can be sent back as it is, checked like any text, and not stored (warnings are).
  warningDetails: z.array(z.strictObject({ ref: SafeText(20).nullable(), message: SafeText(20_000) })).max(10_000).optional(),
  recommendations: z
    .array(
      z.strictObject({
        ref: Bounded(20),
        section: MaybeText(200),
        category: MaybeText(100),
        concern: MaybeText(20_000),
        recommendation: MaybeText(20_000),
        agreement: Agreement.nullable(),
        directedTo: MaybeText(200),
        actions: z
          .array(
            z.strictObject({
              text: Bounded(20_000),
              owner: MaybeText(200),
              target: MaybeText(200),
              due: LocalDate().nullable(),
              complete: z.boolean(),
              // What /api/plans/parse answered can be sent back as it is: how each action was read
              // is accepted and not stored.
              read: ActionReading.optional(),
            }),
          )
          .max(200),
      }),
    )
    .min(1, 'needs at least one concern or recommendation')
    .max(1000),
});
export type StorablePlan = z.infer<typeof StorablePlan>;

export const ImportPlanRequest = z.strictObject({ title: Bounded(200), plan: StorablePlan });
export type ImportPlanRequest = z.infer<typeof ImportPlanRequest>;

/** A revised version of a stored plan: compared first (diff), then applied. */
export const RevisePlanRequest = z.strictObject({ plan: StorablePlan });

const ActionFields = z.object({ text: z.string(), owner: z.string().nullable(), target: z.string().nullable() });
const DiffAction = ActionFields.extend({ id: z.string(), ref: z.string() });
export const PlanDiffResponse = z.object({
  added: z.array(z.object({ ref: z.string(), index: z.number(), action: ActionFields })),
  removed: z.array(DiffAction),
  changed: z.array(
    z.object({
      id: z.string(),
      ref: z.string(),
      index: z.number(),
      before: DiffAction,
      after: ActionFields,
    }),
  ),
  unchanged: z.array(z.object({ id: z.string(), ref: z.string(), index: z.number() })),
});
export type PlanDiffResponse = z.infer<typeof PlanDiffResponse>;

export const RevisePlanResponse = z.object({
  version: z.number(),
  added: z.number(),
  changed: z.number(),
  archived: z.number(),
  unchanged: z.number(),
});

export const PlanSummary = z.object({
  id: z.uuid(),
  title: z.string(),
  version: z.number(),
  sourceFile: z.string().nullable(),
  importedAt: z.string(),
  recommendations: z.number(),
  actions: z.number(),
});
export type PlanSummary = z.infer<typeof PlanSummary>;

export const PlanAction = z.object({
  id: z.uuid(),
  /** How people name it: "1.3", see actionRef. */
  ref: z.string(),
  text: z.string(),
  owner: z.string().nullable(),
  target: z.string().nullable(),
  due: z.string().nullable(),
  status: z.string(),
  assigneeId: z.uuid().nullable(),
  assigneeName: z.string().nullable(),
  /** Bumped on each change of status: a change names the version it was based on. */
  version: z.number(),
});

export const PlanDetail = PlanSummary.extend({
  recommendations: z.array(
    z.object({
      id: z.uuid(),
      ref: z.string(),
      category: z.string().nullable(),
      concern: z.string().nullable(),
      recommendation: z.string().nullable(),
      agreement: Agreement.nullable(),
      actions: z.array(PlanAction),
    }),
  ),
});
export type PlanDetail = z.infer<typeof PlanDetail>;

export const FILE_NAME_HEADER = 'x-file-name';
/** Big enough for any published plan (.docx with a logo or two), small enough to refuse junk. */
export const MAX_PLAN_FILE_BYTES = 10 * 1024 * 1024;

/** Each live action of a plan with its assignee and the suggestion from the owner's job title. */
export const PlanAssignments = z.object({
  people: z.array(z.object({ id: z.uuid(), displayName: z.string(), jobTitle: z.string().nullable() })),
  actions: z.array(
    z.object({
      actionId: z.uuid(),
      /** The action's reference ("1.3", see actionRef). */
      ref: z.string(),
      text: z.string(),
      owner: z.string().nullable(),
      assigneeId: z.uuid().nullable(),
      suggestion: z.object({
        userId: z.uuid().nullable(),
        reason: z.enum(['job-title', 'ambiguous', 'no-match', 'no-owner']),
        candidates: z.array(z.uuid()),
      }),
    }),
  ),
});
export type PlanAssignments = z.infer<typeof PlanAssignments>;

export const SaveAssignmentsRequest = z.strictObject({
  assignments: z.array(z.strictObject({ actionId: z.uuid(), assigneeId: z.uuid().nullable() })).min(1).max(5000),
});

/** How many actions' owners a save changed. */
export const SaveAssignmentsResponse = z.object({ updated: z.number().int().nonnegative() });
