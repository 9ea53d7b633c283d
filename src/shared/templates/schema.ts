import { z } from 'zod';
import { SafeText, Text } from '../text.ts';

/** An item's or section's id: what answers and photos name it by. */
export const ItemId = z.string().max(60, 'must be at most 60 characters').regex(/^[a-z0-9-]+$/, 'must be lower-case letters, digits and dashes');
const Id = ItemId;
const Question = Text(300).min(3, 'must be at least 3 characters');

const base = { id: Id, question: Question, hint: SafeText(300).optional(), required: z.boolean().default(true) };

/** One thing a person answers on the wing, in seconds. */
export const TemplateItem = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('pass-fail'), ...base, noteOnFail: z.boolean().default(true) }),
  z
    .object({
      kind: z.literal('number'),
      ...base,
      unit: SafeText(20),
      /** The acceptable range: a reading outside it counts as a failure and needs a note. */
      min: z.number().optional(),
      max: z.number().optional(),
    })
    .refine((item) => item.min === undefined || item.max === undefined || item.min <= item.max, 'min must not be above max'),
  z.object({ kind: z.literal('yes-no'), ...base, noteOnNo: z.boolean().default(false) }),
  z.object({ kind: z.literal('choice'), ...base, options: z.array(SafeText(100).min(1, 'is required')).min(2).max(20) }),
  z.object({ kind: z.literal('text'), ...base }),
  z.object({ kind: z.literal('photo'), ...base }),
]);
export type TemplateItem = z.infer<typeof TemplateItem>;

export const TemplateSection = z.object({
  id: Id,
  title: SafeText(120).min(1, 'is required'),
  items: z.array(TemplateItem).min(1).max(100),
});
export type TemplateSection = z.infer<typeof TemplateSection>;

/** Item ids key the answers, so one template may not use an id twice. */
export function refineUniqueItemIds(template: { sections: readonly TemplateSection[] }, ctx: z.RefinementCtx): void {
  const seen = new Set<string>();
  for (const item of template.sections.flatMap((s) => s.items)) {
    if (seen.has(item.id)) ctx.addIssue({ code: 'custom', message: `item id "${item.id}" is used twice`, path: ['sections'] });
    seen.add(item.id);
  }
}

/** A check template at one version: checks record the version they were made with. */
export const TemplateVersion = z
  .object({
    key: Id,
    version: z.number().int().positive(),
    title: SafeText(120).min(3, 'must be at least 3 characters'),
    description: SafeText(500),
    sections: z.array(TemplateSection).min(1),
  })
  .superRefine(refineUniqueItemIds);
export type TemplateVersion = z.infer<typeof TemplateVersion>;
export type TemplateVersionInput = z.input<typeof TemplateVersion>;

/** What a person answered for one item. */
export const Answer = z.object({
  itemId: Id,
  value: z.union([z.enum(['pass', 'fail', 'na']), z.number(), z.boolean(), SafeText(2000), z.null()]),
  note: SafeText(2000).optional(),
});
export type Answer = z.infer<typeof Answer>;
