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

/**
 * How the importer read an action, for the preview to say where to look: straight from the
 * table's cells; recovered (columns named from their content, text without tabs, a list or a
 * page break put back together, a letter's prose); or guessed (dates or owners could not be lined
 * up with the actions, or a run-together row could not be split for certain).
 */
export const ActionReading = z.enum(['cell', 'recovered', 'guessed']);
export type ActionReading = z.infer<typeof ActionReading>;

/** What the preview shows: the plan with how each action was read. Not part of the CLI's JSON. */
export const PreviewAction = ParsedAction.extend({ read: ActionReading });
export type PreviewAction = z.infer<typeof PreviewAction>;
export const PreviewRecommendation = ParsedRecommendation.extend({ actions: z.array(PreviewAction) });
export type PreviewRecommendation = z.infer<typeof PreviewRecommendation>;
/** Something the importer could not read for certain: about one concern (`ref`), or the plan as a whole (null). */
export const PlanWarning = z.object({ ref: z.string().nullable(), message: z.string() });
export type PlanWarning = z.infer<typeof PlanWarning>;

/** A warning as one line, as the CLI's JSON and the stored plan keep it: "1.7: no actions found". */
export const warningText = ({ ref, message }: PlanWarning): string => (ref === null ? message : `${ref}: ${message}`);

/** A plan's warnings both ways: as lines (`warnings`, as ever), and with the concern each is about. */
export const warned = (list: readonly PlanWarning[]) => ({ warnings: list.map(warningText), warningDetails: [...list] });

export const PlanPreview = ParsedPlan.extend({
  recommendations: z.array(PreviewRecommendation),
  warningDetails: z.array(PlanWarning),
});
export type PlanPreview = z.infer<typeof PlanPreview>;

/** The plan as the CLI prints it and the server stores it: how each action was read left out. */
export function withoutReadings(preview: PlanPreview): ParsedPlan {
  const { source, establishment, warnings } = preview;
  return {
    source,
    establishment,
    recommendations: preview.recommendations.map((rec) => ({
      ...rec,
      actions: rec.actions.map(({ text, owner, target, due, complete }) => ({ text, owner, target, due, complete })),
    })),
    warnings,
  };
}

/** The less certain of two readings. */
export const lessCertain = (a: ActionReading, b: ActionReading): ActionReading =>
  ActionReading.options.indexOf(a) >= ActionReading.options.indexOf(b) ? a : b;

/** A file the importer cannot use at all, with one line saying why. */
export class PlanParseError extends Error {
  override name = 'PlanParseError';
}
