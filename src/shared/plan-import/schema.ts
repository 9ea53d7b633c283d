import { z } from 'zod';

/** The agreement column of recommendation-style plans. */
export const Agreement = z.enum(['Agreed', 'Partly Agreed', 'Not Agreed']);

export const ParsedAction = z.object({
  text: z.string().min(1),
  owner: z.string().nullable(),
  /** The target exactly as published: "April 2023", "Complete", "Ongoing". */
  target: z.string().nullable(),
  /** What the target means as a date, when it is one. */
  due: z.iso.date().nullable(),
  complete: z.boolean(),
});
export type ParsedAction = z.infer<typeof ParsedAction>;

export const ParsedRecommendation = z.object({
  ref: z.string().min(1),
  section: z.string().nullable(),
  category: z.string().nullable(),
  concern: z.string().nullable(),
  recommendation: z.string().nullable(),
  agreement: Agreement.nullable(),
  directedTo: z.string().nullable(),
  actions: z.array(ParsedAction),
});
export type ParsedRecommendation = z.infer<typeof ParsedRecommendation>;

/** What the importer read from a published plan: the CLI's JSON, the preview's data. */
export const ParsedPlan = z.object({
  source: z.string(),
  establishment: z.string().nullable(),
  recommendations: z.array(ParsedRecommendation),
  warnings: z.array(z.string()),
});
export type ParsedPlan = z.infer<typeof ParsedPlan>;

/** A file the importer cannot use at all, with one line saying why. */
export class PlanParseError extends Error {
  override name = 'PlanParseError';
}
