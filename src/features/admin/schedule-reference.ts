import { api } from '../../api/api.ts';
import { type Unit } from '../../shared/api/admin.ts';
import { actionLabel } from './schedule-words.ts';
import { groupTemplates, type TemplateSummary } from './template-summary.ts';

/** What a schedule is made from: templates, units, and the plans' actions it can be linked to. */
export interface Reference {
  templates: TemplateSummary[];
  units: Unit[];
  plans: { id: string; title: string; actions: { id: string; label: string }[] }[];
}

export async function loadReference(): Promise<Reference> {
  const [records, units, plans] = await Promise.all([
    api.call('templates.list'),
    api.call('units.list'),
    api.call('plans.list'),
  ]);
  const details = await Promise.all(plans.map((plan) => api.call('plans.get', { params: { id: plan.id } })));
  return {
    templates: groupTemplates(records),
    units,
    plans: details.map((plan) => ({
      id: plan.id,
      title: plan.title,
      actions: plan.recommendations.flatMap((r) => r.actions.map((a) => ({ id: a.id, label: actionLabel(a.ref, a.text) }))),
    })),
  };
}

/** The title of a schedule's template, by its id. */
export function templateTitle(reference: Reference, templateId: string): string {
  return reference.templates.find((t) => t.templateId === templateId)?.latest.definition.title ?? 'Unknown template';
}
