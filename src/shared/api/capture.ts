import { z } from 'zod';
import { Frequency } from '../frequency.ts';
import { LocalDate, OptionalText, Text } from '../text.ts';
import { refineUniqueItemIds, TemplateSection, TemplateVersion } from '../templates/schema.ts';

/** One stored version of a check template, as devices keep it. */
export const TemplateVersionRecord = z.object({
  /** The version's own id: a check names it, so it renders with this version forever. */
  id: z.uuid(),
  templateId: z.uuid(),
  builtin: z.boolean(),
  archived: z.boolean(),
  createdAt: z.string(),
  definition: TemplateVersion,
});
export type TemplateVersionRecord = z.infer<typeof TemplateVersionRecord>;

/** What an admin writes for a new template or a new version of one: the server numbers it. */
const draftFields = {
  title: Text(120).min(3, 'must be at least 3 characters'),
  description: OptionalText(500).default(''),
  sections: z.array(TemplateSection).min(1, 'needs at least one section').max(30),
};
export const TemplateDraft = z.strictObject(draftFields).superRefine(refineUniqueItemIds);
export type TemplateDraft = z.input<typeof TemplateDraft>;

export const CreateTemplateRequest = z
  .strictObject({ ...draftFields, key: z.string().regex(/^[a-z0-9-]{3,60}$/, 'must be 3–60 lower-case letters, digits and dashes') })
  .superRefine(refineUniqueItemIds);

export const UpdateTemplateRequest = z.strictObject({ archived: z.boolean() });

/** Who is expected to carry out a scheduled check: their Today screen lists it. */
export const PerformedBy = z.enum(['unit-manager', 'duty-governor', 'head-of-residence']);
export type PerformedBy = z.infer<typeof PerformedBy>;

export const Schedule = z.object({
  id: z.uuid(),
  templateId: z.uuid(),
  frequency: Frequency,
  performedBy: PerformedBy,
  unitIds: z.array(z.uuid()),
  actionIds: z.array(z.uuid()),
  startsOn: z.iso.date(),
  archived: z.boolean(),
});
export type Schedule = z.infer<typeof Schedule>;

const Ids = (what: string, max: number) => z.array(z.uuid(`must be ${what} ids`)).max(max).refine((ids) => new Set(ids).size === ids.length, 'lists one twice');

export const CreateScheduleRequest = z.strictObject({
  templateId: z.uuid(),
  frequency: Frequency,
  performedBy: PerformedBy,
  unitIds: Ids('unit', 200).min(1, 'choose at least one unit'),
  actionIds: Ids('action', 200).default([]),
  /** Default: today in the establishment's time zone. */
  startsOn: LocalDate().optional(),
});
export type CreateScheduleRequest = z.infer<typeof CreateScheduleRequest>;

export const UpdateScheduleRequest = z.strictObject({
  frequency: Frequency.optional(),
  performedBy: PerformedBy.optional(),
  unitIds: Ids('unit', 200).min(1, 'choose at least one unit').optional(),
  actionIds: Ids('action', 200).optional(),
  archived: z.boolean().optional(),
});
export type UpdateScheduleRequest = z.infer<typeof UpdateScheduleRequest>;
